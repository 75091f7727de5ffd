import type { Db, Sql, Tx } from "../db/connection.ts";
import type { Logger } from "../log.ts";
import { blobBytes } from "./bytes.ts";
import { wireItemsOf } from "./items.ts";
import { ORDER_COLUMNS, orderWire, toPedidoResponse, type OrderRow, type OrderWire } from "./wire.ts";

/**
 * The stored wire JSON of every order (`pedido_json`, migration 011): the order's response JSON, unsigned, as
 * its last event carried it, written by an in-transaction hook on the order events (`hooks.ts`), so it commits
 * with the rows it was serialized from. Reads write these bytes through (`read.ts`).
 *
 * It can never be stale: SQLite triggers delete an order's stored JSON whenever any of its `pedidos` or
 * `pedido_itens` rows change, by any code, process or migration (raw SQL, a catalog rename, a legacy import); the
 * event hook then writes it again at the end of the same write. A missing row means "serialize from the rows"
 * (`storedOrNull` callers fall back), and `refreshOrderJson` refills missing rows at startup.
 * The same triggers bump `sequences.pedidos_versao`, a counter any process can read to know whether any order
 * changed (cheap change detection for the list's response memo).
 */

export const ORDERS_VERSION = "pedidos_versao";

const bump = `UPDATE sequences SET value = value + 1 WHERE name = '${ORDERS_VERSION}';`;

/** The triggers, by name (`CREATE TRIGGER IF NOT EXISTS`: safe to run again). */
export const ORDER_JSON_TRIGGERS: Readonly<Record<string, string>> = Object.freeze({
  tr_pedido_json_pedidos_ins: `CREATE TRIGGER IF NOT EXISTS tr_pedido_json_pedidos_ins AFTER INSERT ON pedidos BEGIN
    DELETE FROM pedido_json WHERE pedido_id = NEW.id; ${bump} END`,
  tr_pedido_json_pedidos_upd: `CREATE TRIGGER IF NOT EXISTS tr_pedido_json_pedidos_upd AFTER UPDATE ON pedidos BEGIN
    DELETE FROM pedido_json WHERE pedido_id IN (OLD.id, NEW.id); ${bump} END`,
  tr_pedido_json_pedidos_del: `CREATE TRIGGER IF NOT EXISTS tr_pedido_json_pedidos_del AFTER DELETE ON pedidos BEGIN
    DELETE FROM pedido_json WHERE pedido_id = OLD.id; ${bump} END`,
  tr_pedido_json_itens_ins: `CREATE TRIGGER IF NOT EXISTS tr_pedido_json_itens_ins AFTER INSERT ON pedido_itens BEGIN
    DELETE FROM pedido_json WHERE pedido_id = NEW.pedido_id; ${bump} END`,
  tr_pedido_json_itens_upd: `CREATE TRIGGER IF NOT EXISTS tr_pedido_json_itens_upd AFTER UPDATE ON pedido_itens BEGIN
    DELETE FROM pedido_json WHERE pedido_id IN (OLD.pedido_id, NEW.pedido_id); ${bump} END`,
  tr_pedido_json_itens_del: `CREATE TRIGGER IF NOT EXISTS tr_pedido_json_itens_del AFTER DELETE ON pedido_itens BEGIN
    DELETE FROM pedido_json WHERE pedido_id = OLD.pedido_id; ${bump} END`,
});

/** The table, its triggers and the version counter (migration 011; `ensureOrderJson` re-creates what is missing). */
export function createOrderJsonSchema(q: Sql): void {
  q.run(`CREATE TABLE IF NOT EXISTS pedido_json (
    pedido_id INTEGER PRIMARY KEY,  -- no foreign key: the triggers keep it in step, foreign keys on or off
    json TEXT NOT NULL,             -- the order's response JSON (unsigned), by lib/orders/wire.ts orderWire
    images TEXT                     -- JSON [start, end, …]: byte ranges of the item image tokens to sign
  )`);
  q.run(`INSERT OR IGNORE INTO sequences (name, value) VALUES ('${ORDERS_VERSION}', 0)`);
  for (const sql of Object.values(ORDER_JSON_TRIGGERS)) q.run(sql);
}

/** Writes an order's stored JSON (inside the write that emitted its event). */
export function storeOrderJson(tx: Tx, orderId: number, wire: OrderWire): void {
  tx.run(
    "INSERT INTO pedido_json (pedido_id, json, images) VALUES (?, ?, ?) ON CONFLICT(pedido_id) DO UPDATE SET json = excluded.json, images = excluded.images",
    orderId, wire.json, wire.images ? JSON.stringify(wire.images) : null,
  );
}

export const deleteOrderJson = (tx: Tx, orderId: number): void => void tx.run("DELETE FROM pedido_json WHERE pedido_id = ?", orderId);

/** One order's wire JSON as bytes, with its image ranges. */
export interface StoredOrder {
  id: number;
  json: Buffer;
  images: number[] | null;
}

const toStored = (id: number, wire: OrderWire): StoredOrder => ({ id, json: Buffer.from(wire.json, "utf8"), images: wire.images });

/** An order serialized from its rows (no stored JSON: a write that bypassed the hooks, or before the refill). */
export function serializeFromRows(q: Sql, id: number): StoredOrder | null {
  const row = q.get<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM pedidos WHERE id = ?`, id);
  return row ? toStored(id, orderWire(toPedidoResponse(row, wireItemsOf(q, id)))) : null;
}

/** One order's wire JSON: stored, or serialized from the rows; null when the order does not exist. */
export function orderJsonOf(q: Sql, id: number): StoredOrder | null {
  const r = q.get<{ json: unknown; images: string | null }>("SELECT CAST(json AS BLOB) AS json, images FROM pedido_json WHERE pedido_id = ?", id);
  if (r) return { id, json: blobBytes(r.json), images: r.images ? (JSON.parse(r.images) as number[]) : null };
  return serializeFromRows(q, id);
}

/** Statement texts for `IN (?, …)` lists, by size (a handful of sizes, so the statement cache stays small). */
const IN_SIZES = [1, 4, 16, 64, 256];
const inList = new Map(IN_SIZES.map((n) => [n, Array.from({ length: n }, () => "?").join(",")]));

/**
 * The wire JSON of `ids`, in that order; ids of orders that no longer exist are skipped. Stored rows are read in
 * batches of up to 256 (one statement each); orders without stored JSON are serialized from their rows.
 */
export function ordersJsonOf(q: Sql, ids: readonly number[]): StoredOrder[] {
  const found = new Map<number, StoredOrder>();
  for (let at = 0; at < ids.length;) {
    const left = ids.length - at;
    const size = IN_SIZES.findLast((n) => n <= left) ?? 1;
    const batch = ids.slice(at, at + size);
    at += size;
    const rows = q.all<{ id: number; json: unknown; images: string | null }>(
      `SELECT pedido_id AS id, CAST(json AS BLOB) AS json, images FROM pedido_json WHERE pedido_id IN (${inList.get(size)})`,
      ...batch,
    );
    for (const r of rows) found.set(r.id, { id: r.id, json: blobBytes(r.json), images: r.images ? (JSON.parse(r.images) as number[]) : null });
  }
  const out: StoredOrder[] = [];
  for (const id of ids) {
    const o = found.get(id) ?? serializeFromRows(q, id);
    if (o) out.push(o);
  }
  return out;
}

/** True when every trigger keeping `pedido_json` in step exists. */
export function orderJsonTriggersPresent(q: Sql): boolean {
  const names = new Set(q.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'tr_pedido_json_%'").map((r) => r.name));
  return Object.keys(ORDER_JSON_TRIGGERS).every((n) => names.has(n));
}

/**
 * Serializes and stores the JSON of up to `max` orders that have none (after a migration, or a later migration
 * whose row changes the triggers invalidated). Returns how many it wrote: 0 when none is missing.
 */
export function fillOrderJson(q: Sql, max = 500): number {
  const ids = q.all<{ id: number }>(
    "SELECT id FROM pedidos WHERE NOT EXISTS (SELECT 1 FROM pedido_json j WHERE j.pedido_id = pedidos.id) ORDER BY id LIMIT ?", max,
  );
  let written = 0;
  for (const { id } of ids) {
    const row = q.get<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM pedidos WHERE id = ?`, id);
    if (!row) continue;
    const wire = orderWire(toPedidoResponse(row, wireItemsOf(q, id)));
    q.run("INSERT OR REPLACE INTO pedido_json (pedido_id, json, images) VALUES (?, ?, ?)", id, wire.json, wire.images ? JSON.stringify(wire.images) : null);
    written++;
  }
  return written;
}

/**
 * At startup, after the migrations: re-creates missing triggers (a later migration that rebuilds `pedidos` or
 * `pedido_itens` drops them; every stored JSON is then suspect and is rebuilt), and stores the JSON of every order
 * that has none, 200 orders per transaction (each well under the ~50 ms a write may hold the database).
 */
export function refreshOrderJson(db: Db, log: Logger): number {
  const rebuilt = db.writeSync((tx) => {
    if (orderJsonTriggersPresent(tx)) return false;
    createOrderJsonSchema(tx);
    tx.run("DELETE FROM pedido_json");
    return true;
  });
  if (rebuilt) log.warn("order JSON triggers were missing (a migration rebuilt a table): recreated; every stored order JSON is rebuilt");
  let written = 0;
  for (let n = -1; n !== 0;) written += n = db.writeSync((tx) => fillOrderJson(tx, 200));
  if (written) log.info({ orders: written }, "stored order JSON filled");
  return written;
}
