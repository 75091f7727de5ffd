/**
 * Folds text for accent- and case-insensitive search: `"JOÃO Ç"` → `"joao c"`.
 * note: SQLite's lower() is ASCII-only (the original's bug), so we fold in code and store the folded form.
 */
export function foldText(value: unknown): string {
  return String(value ?? "")
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

/** Escapes `%`, `_` and `\` for a `LIKE ... ESCAPE '\'` pattern. */
export const likeEscape = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** True for null, undefined and strings of only white space (an "absent" form field). */
export const isBlank = (value: unknown): boolean =>
  value === null || value === undefined || (typeof value === "string" && value.trim() === "");

/** A stored text column's value: null for null, undefined and `""`, else the value as a string. */
export const textOrNull = (value: unknown): string | null => (value === null || value === undefined || value === "" ? null : String(value));
