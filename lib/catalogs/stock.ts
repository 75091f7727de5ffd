import type { Sql } from "../db/connection.ts";
import { badRequest } from "../errors.ts";
import { foldText } from "../text.ts";
import { itemMaterialArea, round } from "./measure.ts";

/**
 * Automatic material stock deduction (spec §4.11; off unless `MATERIAL_STOCK_AUTO_DEDUCTION=true`).
 *
 * The rule, one for every write path:
 * - an item consumes `itemMaterialArea(item)` m² (area of one piece × pieces, as the statistics count it;
 *   the original ignored the quantity here, spec §8.28) of the material named by its `tecido`;
 * - materials are matched by folded name (case, accents and spaces ignored); on duplicates the active one wins,
 *   then the lowest id; names not in the catalog are ignored;
 * - an order consumes only while it is a real order (not a draft) and not `cancelado`;
 * - every write applies `after − before`: create (before = null), PATCH and item patch (both), delete
 *   (after = null) and status changes into or out of `cancelado`;
 * - a stock that would go below zero rejects the whole write with 400; stock is stored rounded to 4 decimals.
 *
 * How order writes use it: nobody calls it around a write. It is an in-transaction hook on the order events
 * (`lib/orders/hooks.ts`): each `order_created`/`order_updated`/`order_deleted` carries the order before and
 * after the write, and the hook applies `stockDelta(before, after)` in the same transaction. A write that emits
 * no order event cannot move stock.
 */

/** What stock depends on in an order. */
export interface StockSnapshot {
  status: string;
  rascunho?: boolean;
  items: readonly Record<string, unknown>[];
}

/** Material key of an item: its folded `tecido`, or "" (no material). */
export const materialKey = (tecido: unknown): string => foldText(tecido);

const consumes = (s: StockSnapshot | null): s is StockSnapshot => !!s && !s.rascunho && s.status !== "cancelado";

/** m² of each material (by key) that a list of items consumes. */
export function consumption(items: readonly Record<string, unknown>[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const item of items) {
    const key = materialKey(item.tecido);
    if (key) out.set(key, (out.get(key) ?? 0) + itemMaterialArea(item));
  }
  return out;
}

/** Extra m² each material must give (positive) or gets back (negative) when an order goes from `before` to `after`. */
export function stockDelta(before: StockSnapshot | null, after: StockSnapshot | null): Map<string, number> {
  const delta = new Map<string, number>();
  if (consumes(after)) for (const [k, m] of consumption(after.items)) delta.set(k, m);
  if (consumes(before)) for (const [k, m] of consumption(before.items)) delta.set(k, (delta.get(k) ?? 0) - m);
  for (const [k, m] of delta) if (Math.abs(m) < 1e-9) delta.delete(k);
  return delta;
}

const fmt = (n: number) => n.toFixed(2);

/**
 * Applies a delta to `material.estoque_metros` within the caller's transaction. Throws 400 (and so rolls the
 * whole write back) when a material lacks stock. Returns the new stock of each material touched, by id.
 */
export function applyStockDelta(tx: Sql, delta: Map<string, number>): Map<number, number> {
  const changed = new Map<number, number>();
  if (delta.size === 0) return changed;
  const byKey = new Map<string, { id: number; nome: string; ativo: number; estoque: number }>();
  for (const m of tx.all<{ id: number; nome: string; ativo: number; estoque_metros: number }>(
    "SELECT id, nome, ativo, estoque_metros FROM material ORDER BY id",
  )) {
    const key = materialKey(m.nome);
    const known = byKey.get(key);
    if (!known || (!known.ativo && m.ativo))
      byKey.set(key, { id: m.id, nome: m.nome, ativo: m.ativo, estoque: Number(m.estoque_metros) || 0 });
  }
  for (const [key, m2] of delta) {
    const m = byKey.get(key);
    if (!m) continue;
    const next = round(m.estoque - m2, 4);
    if (next < 0) {
      throw badRequest(`Estoque insuficiente para o material '${m.nome}'. Disponível: ${fmt(m.estoque)}m, necessário: ${fmt(m2)}m.`);
    }
    tx.run("UPDATE material SET estoque_metros = ? WHERE id = ?", next, m.id);
    changed.set(m.id, next);
  }
  return changed;
}

/** The one call for order writes: does nothing unless `enabled` (the config flag). */
export function adjustStock(tx: Sql, enabled: boolean, before: StockSnapshot | null, after: StockSnapshot | null): Map<number, number> {
  return enabled ? applyStockDelta(tx, stockDelta(before, after)) : new Map();
}
