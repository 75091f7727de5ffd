/**
 * Money is integer cents inside SGP. One parser for every input form, one formatter for every output.
 *
 * Parsing follows the original's pricing rule, made exact:
 * - numbers: rounded half-up to cents;
 * - strings: trimmed, `R$` and spaces removed; with a comma, dots are thousands separators and the comma is the
 *   decimal point (pt-BR `"1.234,56"`); without a comma the dot is the decimal point (`"100.00"`), except when
 *   several dots make it a thousands-grouped integer (`"1.234.567"`).
 * @example parseMoney("1.234,56") // 123456
 * @example parseMoney("R$ 100,00") // 10000
 * @example formatCents(11800) // "118.00"
 */
export function parseMoney(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") {
    // Same range as a string amount: beyond exact integer cents it is unreadable, never a float stored as money.
    const cents = Number.isFinite(value) ? roundHalfUp(value * 100) : NaN;
    return Number.isSafeInteger(cents) ? cents : null;
  }
  if (typeof value === "boolean") return null;
  let s = String(value).trim().replace(/^R\$\s*/i, "").replace(/\s+/g, "");
  if (s === "") return null;
  let negative = false;
  if (s.startsWith("-")) { negative = true; s = s.slice(1); }
  if (s.includes(",")) s = s.replace(/\./g, "").replace(",", ".");
  else if (/^\d{1,3}(\.\d{3}){2,}$/.test(s)) s = s.replace(/\./g, "");
  const m = /^(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m || (m[1] === "" && (m[2] ?? "") === "")) return null;
  const whole = Number(m[1] || "0");
  const frac = (m[2] ?? "").padEnd(3, "0");
  // Exact half-up on the decimal digits, never through a float.
  let cents = whole * 100 + Number(frac.slice(0, 2)) + (Number(frac[2]) >= 5 ? 1 : 0);
  if (!Number.isSafeInteger(cents)) return null;
  return negative ? -cents : cents;
}

/** Like parseMoney, with 0 for absent or unreadable input (the original's pricing behaviour). */
export const moneyOrZero = (value: unknown): number => parseMoney(value) ?? 0;

/** Cents as the wire's dot-decimal string with two places: `"1234.56"`. */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(Math.round(cents));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** Cents in pt-BR display form, `"1234,56"` (the original's `valor_total_calculado`, without its 100× bug). */
export const formatCentsBr = (cents: number): string => formatCents(cents).replace(".", ",");

function roundHalfUp(x: number): number {
  // note: 1.005*100 = 100.49999…; nudge by a relative epsilon so decimal halves round up as written.
  return Math.sign(x) * Math.round(Math.abs(x) + 1e-9 * Math.max(1, Math.abs(x)));
}
