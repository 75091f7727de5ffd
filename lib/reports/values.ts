import { parseMoney } from "../money.ts";
import { itemQuantity } from "../orders/pricing.ts";
import { isBlank } from "../text.ts";

/**
 * Money of the analytics, in integer cents (spec: original-modules.md §0, §1).
 */

type Item = Record<string, unknown>;

/**
 * The original's `get_item_value`, in cents: the item's `subtotal` when set (and not zero, as the original read
 * it); else its unit price × the quantity pricing uses (`lib/orders/pricing.ts`); else 0.
 * note: the original's last fallback was 1 (one real per item), a bug: an item without a price is worth nothing.
 */
export function itemValueCents(item: Item): number {
  if (!isBlank(item.subtotal)) {
    const sub = parseMoney(item.subtotal);
    if (sub !== null && sub !== 0) return sub;
  }
  const unitRaw = !isBlank(item.valor_unitario) ? item.valor_unitario : item.unit_price;
  const unit = parseMoney(unitRaw);
  if (unit === null) return 0;
  const line = unit * itemQuantity(item);
  return Number.isSafeInteger(line) ? line : 0;
}

/**
 * The value each item of an order counts for in the reports: its own value, with the difference between the
 * order's service total (`valor_total − valor_frete`) and Σ items added to the LAST item (the original's rule,
 * so an order's rows always add up to what was charged). An order priced by this server has no difference;
 * one taken over from the original, or whose items carry a `subtotal`, may.
 * @example adjustedItemValues([1000, 2000], 10000, 500) // [1000, 8500]
 */
export function adjustedItemValues(values: readonly number[], totalCents: number, freteCents: number): number[] {
  const out = [...values];
  if (out.length === 0) return out;
  let sum = 0;
  for (const v of out) sum += v;
  out[out.length - 1] += totalCents - freteCents - sum;
  return out;
}

/**
 * Splits `freteCents` over items in proportion to their values, exactly: every share but the last is the floor
 * of its proportional part, and the last takes the rest, so the shares always add up to the freight.
 * Negative values weigh nothing; when no item has a positive value, the freight is split evenly.
 * Products are taken in BigInt: cents × cents can pass 2^53.
 * @example splitFreight(1000, [1, 1, 1]) // [333, 333, 334]
 */
export function splitFreight(freteCents: number, values: readonly number[]): number[] {
  const n = values.length;
  if (n === 0) return [];
  const weights = values.map((v) => BigInt(Math.max(0, v)));
  let total = 0n;
  for (const w of weights) total += w;
  const frete = BigInt(freteCents);
  const out: number[] = [];
  let given = 0n;
  for (let i = 0; i < n - 1; i++) {
    const share = total > 0n ? (frete * weights[i]) / total : frete / BigInt(n);
    out.push(Number(share));
    given += share;
  }
  out.push(Number(frete - given));
  return out;
}
