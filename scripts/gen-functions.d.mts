export function generate(): string;
export function generateCommands(): string;
