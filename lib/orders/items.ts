import type { Sql, Tx } from "../db/connection.ts";
import { storedItemData, toWireItem, type WireItem } from "./wire.ts";
import { textOrNull } from "../text.ts";
import { unprocessable } from "../errors.ts";
import { ORDER_LIMITS } from "./limits.ts";

/**
 * Order items live in `pedido_itens`: one row per item, a server-assigned id unique across the database, `posicao`
 * = the index in the order, `data` = the item object as the client sent it (unknown keys kept), minus `id`.
 * A few fields are copied into indexed columns for the panels and filters.
 */

type Data = Record<string, unknown>;

/**
 * Keys the server or other panels own: when a client sends an existing item back without them (the order form
 * does not know about the designer panel), the stored values are kept. Sending the key (even null) replaces it.
 */
const CARRIED_OVER = ["status_arte", "comentarios", "imagem", "imagem_path"] as const;

const int = (v: unknown): number | null => {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  return typeof n === "number" && Number.isSafeInteger(n) ? n : null;
};

/** The item without `id` (the row id is the id) and without `pedido_id` (the row says which order). */
export function itemData(item: Data): Data {
  const { id: _id, pedido_id: _p, ...data } = item;
  return data;
}

const columnsOf = (data: Data) =>
  [
    textOrNull(data.tipo_producao),
    textOrNull(data.designer),
    textOrNull(data.vendedor),
    textOrNull(data.tecido),
    int(data.machine_id),
    textOrNull(data.status_arte) ?? "aguardando",
  ] as const;

/**
 * Replaces the items of an order with `items` (in order) and returns the final item ids, in the same order (the
 * image step links rows with them).
 * An `id` naming an item of this order (its real id, or its legacy `pedido.id*1000+index` address) keeps that
 * row; every other item gets a new id; rows absent from `items` are deleted.
 */
export function writeItems(tx: Tx, orderId: number, items: readonly Data[]): number[] {
  const existing = tx.all<{ id: number; legacy_id: number | null; posicao: number; data: string }>(
    "SELECT id, legacy_id, posicao, data FROM pedido_itens WHERE pedido_id = ?",
    orderId,
  );
  const byId = new Map(existing.map((r) => [r.id, r]));
  const byLegacy = new Map<number, (typeof existing)[number]>();
  for (const r of existing) byLegacy.set(r.legacy_id ?? orderId * 1000 + r.posicao, r);
  const claimed = new Set<number>();
  const ids: number[] = [];
  items.forEach((item, posicao) => {
    const sent = int(item.id);
    const row = sent === null ? undefined : (byId.get(sent) ?? byLegacy.get(sent));
    let data = itemData(item);
    if (row && !claimed.has(row.id)) {
      claimed.add(row.id);
      const stored = JSON.parse(row.data) as Data;
      for (const k of CARRIED_OVER) if (!(k in data) && k in stored) data = { ...data, [k]: stored[k] };
      data = storedItemData(data);
      tx.run(
        `UPDATE pedido_itens SET posicao = ?, tipo_producao = ?, designer = ?, vendedor = ?, tecido = ?, machine_id = ?,
           status_arte = ?, data = ? WHERE id = ?`,
        posicao,
        ...columnsOf(data),
        JSON.stringify(data),
        row.id,
      );
      ids.push(row.id);
    } else {
      ids.push(insertItem(tx, orderId, posicao, storedItemData(data)));
    }
  });
  for (const r of existing) if (!claimed.has(r.id)) tx.run("DELETE FROM pedido_itens WHERE id = ?", r.id);
  return ids;
}

function insertItem(tx: Tx, orderId: number, posicao: number, data: Data): number {
  return tx.run(
    `INSERT INTO pedido_itens (pedido_id, posicao, tipo_producao, designer, vendedor, tecido, machine_id, status_arte, data)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    orderId,
    posicao,
    ...columnsOf(data),
    JSON.stringify(data),
  ).lastInsertRowid;
}

/** Rewrites one item's data (and its indexed columns) in place. */
export function updateItemData(tx: Tx, itemId: number, data: Data): void {
  tx.run(
    `UPDATE pedido_itens SET tipo_producao = ?, designer = ?, vendedor = ?, tecido = ?, machine_id = ?, status_arte = ?, data = ?
     WHERE id = ?`,
    ...columnsOf(data),
    JSON.stringify(storedItemData(data)),
    itemId,
  );
}

/**
 * Refuses (422, rolling the write back) an order whose items, as stored, pass `ORDER_LIMITS.storedItemsBytes`:
 * one such order would otherwise cost every later read and write of it.
 */
export function assertStoredItemsFit(q: Sql, orderId: number): void {
  const { bytes } = q.get<{ bytes: number | null }>(
    "SELECT SUM(length(CAST(data AS BLOB))) AS bytes FROM pedido_itens WHERE pedido_id = ?",
    orderId,
  )!;
  if ((bytes ?? 0) > ORDER_LIMITS.storedItemsBytes) {
    throw unprocessable([
      {
        loc: ["body", "items"],
        msg: `Itens grandes demais: no máximo ${Math.round(ORDER_LIMITS.storedItemsBytes / 1024)} KB por pedido (imagens à parte)`,
        type: "value_error",
      },
    ]);
  }
}

/** The stored data of every item of an order, in order (for pricing). */
export function itemDataOf(q: Sql, orderId: number): { id: number; data: Data }[] {
  return q
    .all<{ id: number; data: string }>("SELECT id, data FROM pedido_itens WHERE pedido_id = ? ORDER BY posicao, id", orderId)
    .map((r) => ({ id: r.id, data: JSON.parse(r.data) as Data }));
}

/** Wire items of one order. */
export function wireItemsOf(q: Sql, orderId: number): WireItem[] {
  return itemDataOf(q, orderId).map((r) => toWireItem(r.id, r.data));
}

/**
 * Wire items of many orders in ONE query: `orderIdsSql` is a subquery selecting the order ids (the list's own
 * filter), so nothing is queried per order.
 */
export function wireItemsByOrder(q: Sql, orderIdsSql: string, params: readonly unknown[]): Map<number, WireItem[]> {
  const rows = q.all<{ id: number; pedido_id: number; data: string }>(
    `SELECT id, pedido_id, data FROM pedido_itens WHERE pedido_id IN (${orderIdsSql}) ORDER BY pedido_id, posicao, id`,
    ...(params as never[]),
  );
  const out = new Map<number, WireItem[]>();
  for (const r of rows) {
    let list = out.get(r.pedido_id);
    if (!list) out.set(r.pedido_id, (list = []));
    list.push(toWireItem(r.id, JSON.parse(r.data) as Data));
  }
  return out;
}

export interface FoundItem {
  orderId: number;
  itemId: number;
  /** Position in the order (0-based). */
  index: number;
  data: Data;
}

/**
 * Resolves an item address: a real item id first, then the original's fallback `pedido.id*1000+index` (the
 * imported `legacy_id`, else the item now at that position). `orderId` restricts the search to one order.
 */
export function findItem(q: Sql, itemId: number, orderId?: number): FoundItem | null {
  if (!Number.isSafeInteger(itemId) || itemId <= 0) return null;
  type R = { id: number; pedido_id: number; posicao: number; data: string };
  const cols = "SELECT id, pedido_id, posicao, data FROM pedido_itens";
  const inOrder = orderId === undefined ? "" : " AND pedido_id = ?";
  const extra = orderId === undefined ? [] : [orderId];
  const row =
    q.get<R>(`${cols} WHERE id = ?${inOrder}`, itemId, ...extra) ??
    q.get<R>(`${cols} WHERE legacy_id = ?${inOrder} ORDER BY id LIMIT 1`, itemId, ...extra) ??
    (orderId === undefined || Math.floor(itemId / 1000) === orderId
      ? q.get<R>(`${cols} WHERE pedido_id = ? AND posicao = ? AND legacy_id IS NULL`, Math.floor(itemId / 1000), itemId % 1000)
      : undefined);
  return row ? { orderId: row.pedido_id, itemId: row.id, index: row.posicao, data: JSON.parse(row.data) as Data } : null;
}
