import { unprocessable } from "../errors.ts";
import { moneyOrZero, formatCents, parseMoney } from "../money.ts";
import { foldText, isBlank } from "../text.ts";

/**
 * The pricing rules of the original (`original-api.md` §4.5), in integer cents, with its gaps closed:
 * - component types (`painel`, `generica`, `mesa_babado`) get `valor_unitario = valor_painel + valores_adicionais
 *   + ilhós × valor_ilhos (finish "ilhós") + cordinha × valor_cordinha (finish "cordinha")`;
 * - "0 ilhós" costs nothing: a finish count is exact (absent or blank = 0). The original's minimum of 1 was a bug
 *   (§8.12);
 * - a component item without `valor_painel` keeps its own `valor_unitario` (the original zeroed it, §8.12): the
 *   rule needs its base value, and an item priced by hand must not silently become free;
 * - item quantity: the type's own field; absent, blank, unreadable or 0 counts as 1, which is what the client
 *   shows for such an item ("first positive quantity, or 1"), so the server's total matches the screen;
 * - totals = Σ unit × quantity + frete, always recomputed from the stored items: no write path stores a total of
 *   its own.
 */

export const COMPONENT_TYPES = new Set(["painel", "generica", "mesa_babado"]);

/**
 * The money fields of an item. On every write they are stored as `"1234.56"` strings, never null (an absent or
 * blank one is `"0.00"`), so every money field of every response has the wire's form. `valor_painel` and
 * `valores_adicionais` are the exception: their absence means "not priced by the component rule", so a blank one
 * is dropped rather than zeroed.
 */
export const ITEM_MONEY_KEYS = [
  "valor_unitario",
  "valor_painel",
  "valores_adicionais",
  "valor_ilhos",
  "ilhos_valor_unitario",
  "valor_cordinha",
  "valor_totem",
  "outros_valores_totem",
  "valor_lona",
  "outros_valores_lona",
  "valor_adesivo",
  "outros_valores_adesivo",
  "outros_valores",
] as const;
const OPTIONAL_MONEY = new Set(["valor_painel", "valores_adicionais"]);
/**
 * Money fields checked on input (range, readability): the stored ones plus the draft form's raw `unit_price`,
 * which is kept as the client sent it (its draft editor reads it back as a number).
 */
export const ITEM_MONEY_INPUT_KEYS = [...ITEM_MONEY_KEYS, "unit_price"] as const;

/** The count fields of an item (pieces, finishes): non-negative integers when present. */
export const ITEM_COUNT_KEYS = [
  "quantidade_paineis",
  "quantidade_totem",
  "quantidade_lona",
  "quantidade_adesivo",
  "quantidade_canga",
  "quantidade_impressao_3d",
  "quantidade_mochilinha",
  "quantity",
  "quantidade",
  "quantidade_ilhos",
  "ilhos_qtd",
  "quantidade_cordinha",
  "emenda_qtd",
] as const;

/** Which quantity field counts for a type; any other type uses `quantidade_paineis`. */
const QUANTITY_FIELD: Record<string, string> = {
  painel: "quantidade_paineis",
  generica: "quantidade_paineis",
  mesa_babado: "quantidade_paineis",
  totem: "quantidade_totem",
  lona: "quantidade_lona",
  adesivo: "quantidade_adesivo",
  canga: "quantidade_canga",
  impressao_3d: "quantidade_impressao_3d",
  mochilinha: "quantidade_mochilinha",
  bolsinha: "quantidade_mochilinha",
};

type Item = Record<string, unknown>;

const typeOf = (item: Item): string =>
  String(item.tipo_producao ?? "")
    .trim()
    .toLowerCase();

/**
 * A count as a non-negative integer (rounded half up; `","` as decimal point), or null when absent/unreadable.
 * @example parseCount("2,5") // 3
 */
export function parseCount(value: unknown): number | null {
  if (isBlank(value) || typeof value === "boolean") return null;
  const n = typeof value === "number" ? value : Number(String(value).trim().replace(",", "."));
  if (!Number.isFinite(n) || n < 0) return null;
  return Math.floor(n + 0.5);
}

/** The quantity an item counts for in the totals (≥ 1). Draft items (raw form) carry `quantity` instead. */
export function itemQuantity(item: Item): number {
  const field = QUANTITY_FIELD[typeOf(item)] ?? "quantidade_paineis";
  for (const v of [item[field], item.quantidade_paineis, item.quantity, item.quantidade]) {
    const n = parseCount(v);
    if (n !== null && n > 0) return n;
  }
  return 1;
}

/** First present value among `keys` (the legacy field names are fallbacks of the current ones). */
const first = (item: Item, ...keys: string[]): unknown => {
  for (const k of keys) if (!isBlank(item[k])) return item[k];
  return null;
};

/**
 * The unit price of an item in cents. Component types with a `valor_painel` follow the component rule; every
 * other item is priced by its `valor_unitario` (or the draft form's `unit_price`).
 */
export function unitCents(item: Item): number {
  if (COMPONENT_TYPES.has(typeOf(item)) && !isBlank(item.valor_painel)) {
    const finish = foldText(item.tipo_acabamento);
    let cents = moneyOrZero(item.valor_painel) + moneyOrZero(item.valores_adicionais);
    if (finish.includes("ilho")) {
      cents +=
        (parseCount(first(item, "quantidade_ilhos", "ilhos_qtd")) ?? 0) * moneyOrZero(first(item, "valor_ilhos", "ilhos_valor_unitario"));
    }
    if (finish.includes("cordinha")) {
      cents += (parseCount(item.quantidade_cordinha) ?? 0) * moneyOrZero(item.valor_cordinha);
    }
    return cents;
  }
  return moneyOrZero(first(item, "valor_unitario", "unit_price"));
}

/** The item's money fields in the stored form (see ITEM_MONEY_KEYS). */
function normalizedMoney(item: Item): Item {
  let out: Item | null = null;
  for (const key of ITEM_MONEY_KEYS) {
    if (!(key in item)) continue;
    const raw = item[key];
    const cents = isBlank(raw) ? null : parseMoney(raw);
    out ??= { ...item };
    if (cents === null) {
      if (OPTIONAL_MONEY.has(key)) delete out[key];
      else out[key] = "0.00";
    } else out[key] = formatCents(cents);
  }
  return out ?? item;
}

/**
 * Prices one item: its `valor_unitario` becomes the unit price it is charged (the component rule's result, or its
 * own), and every money field takes the stored `"X.XX"` form. Returns the item to store and its line total.
 */
export function priceItem(item: Item): { item: Item; lineCents: number } {
  const unit = unitCents(item);
  const priced = { ...normalizedMoney(item), valor_unitario: formatCents(unit) };
  return { item: priced, lineCents: unit * itemQuantity(item) };
}

export const TOTAL_OUT_OF_RANGE = "Valor do pedido fora do limite: confira quantidades e valores dos itens";
const outOfRange = () => unprocessable([{ loc: ["body", "items"], msg: TOTAL_OUT_OF_RANGE, type: "value_error" }]);

/**
 * Prices every item and sums them: `itensCents` = Σ lines, `totalCents` = itens + frete.
 * @throws AppError 422 when a line or a total leaves the exact integer range: every write path prices here, so no
 *   float or Infinity is ever stored as money (the schemas already bound each field and count).
 */
export function priceOrder(items: readonly Item[], freteCents: number): { items: Item[]; itensCents: number; totalCents: number } {
  let itensCents = 0;
  const priced = items.map((it) => {
    const p = priceItem(it);
    if (!Number.isSafeInteger(p.lineCents)) throw outOfRange();
    itensCents += p.lineCents;
    return p.item;
  });
  const totalCents = itensCents + freteCents;
  if (!Number.isSafeInteger(itensCents) || !Number.isSafeInteger(totalCents)) throw outOfRange();
  return { items: priced, itensCents, totalCents };
}
