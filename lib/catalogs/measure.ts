import { itemQuantity as pricedQuantity } from "../orders/pricing.ts";

/**
 * Sizes and quantities of order items, for stock, statistics and the machine queues. One rule everywhere
 * (the original's stock deduction ignored quantity while its statistics multiplied by it: spec §8.28).
 */

/**
 * A lenient decimal: numbers as they are; strings with a `,` decimal (`"2,5"`, pt-BR `"1.234,5"`) or a `.`
 * decimal (`"2.5"`). Unreadable or absent input is null.
 * @example parseDecimal("1,5") // 1.5
 */
export function parseDecimal(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value !== "string") return null;
  let s = value.trim().replace(/\s+/g, "").replace(/m²?$/i, "");
  if (s === "") return null;
  if (s.includes(",")) s = s.replace(/\./g, "").replace(",", ".");
  if (!/^-?(\d+\.?\d*|\.\d+)$/.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

const positive = (value: unknown): number | null => {
  const n = parseDecimal(value);
  return n !== null && n > 0 ? n : null;
};

/** Area of one piece in m²: `metro_quadrado`, else `largura × altura`, else 1. */
export function itemArea(item: Record<string, unknown>): number {
  const m2 = positive(item.metro_quadrado);
  if (m2 !== null) return m2;
  const w = positive(item.largura);
  const h = positive(item.altura);
  return w !== null && h !== null ? w * h : 1;
}

/**
 * Pieces of one item: the quantity the order is priced with (lib/orders/pricing.ts), so stock, statistics and the
 * order's total never disagree about how many pieces an item is.
 */
export const itemQuantity = (item: Record<string, unknown>): number => pricedQuantity(item);

/** Material used by an item, in m²: area of one piece × pieces. */
export const itemMaterialArea = (item: Record<string, unknown>): number => itemArea(item) * itemQuantity(item);

/** Rounds to `places` decimals (half away from zero), for the wire. */
export const round = (n: number, places = 2): number => {
  const f = 10 ** places;
  return (Math.sign(n) * Math.round(Math.abs(n) * f + 1e-9)) / f;
};

/** `"LxA"` as the machine queue and the print logs show it, or null. */
export function itemDimensions(item: Record<string, unknown>): string | null {
  const w = item.largura;
  const h = item.altura;
  if ((w === null || w === undefined || w === "") && (h === null || h === undefined || h === "")) return null;
  return `${w ?? ""}x${h ?? ""}`;
}
