export function buildPainel(): Promise<{ script: string; style: string; version: string }>;
