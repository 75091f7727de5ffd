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
  if (value === null || value === undefined || typeof value === "boolean") return null;
  // A number is read through its shortest decimal form (`0.1` → "0.1"), never multiplied as a float: 1e21, NaN
  // and Infinity have no such form and are unreadable, and large amounts cannot drift by a cent.
  let s = (typeof value === "number" ? String(value) : String(value))
    .trim()
    .replace(/^R\$\s*/i, "")
    .replace(/\s+/g, "");
  if (s === "") return null;
  let negative = false;
  if (s.startsWith("-")) {
    negative = true;
    s = s.slice(1);
  }
  if (typeof value !== "number") {
    if (s.includes(",")) s = s.replace(/\./g, "").replace(",", ".");
    else if (/^\d{1,3}(\.\d{3}){2,}$/.test(s)) s = s.replace(/\./g, "");
  }
  const m = /^(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m || (m[1] === "" && (m[2] ?? "") === "")) return null;
  // Beyond 15 integer digits a string is not an amount anyone typed (and would leave the exact integer range).
  if (m[1].length > 15) return null;
  const whole = Number(m[1] || "0");
  const frac = (m[2] ?? "").padEnd(3, "0");
  // Exact half-up on the decimal digits, never through a float.
  const cents = whole * 100 + Number(frac.slice(0, 2)) + (Number(frac[2]) >= 5 ? 1 : 0);
  if (!Number.isSafeInteger(cents)) return null;
  return negative ? -cents : cents;
}

/**
 * The range of one money field of an order or item: 0 to R$ 99.999.999,99 (no field is a discount, so none may be
 * negative). Documented in the README ("Orders").
 */
export const MAX_MONEY_CENTS = 9_999_999_999;

/** The one message for every unreadable or out-of-range money field (422). */
export const MONEY_INVALID = "Valor monetário inválido: use um valor entre 0,00 e 99.999.999,99 (ex.: 150.00 ou 1.234,56)";

/** True when `value` is an amount a money field accepts (see MAX_MONEY_CENTS). */
export function isMoneyInRange(value: unknown): boolean {
  const cents = parseMoney(value);
  return cents !== null && cents >= 0 && cents <= MAX_MONEY_CENTS;
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
