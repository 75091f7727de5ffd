import { createHash } from "node:crypto";
import type { Db, Sql, Tx } from "../db/connection.ts";
import type { Logger } from "../log.ts";
import { blobBytes } from "./bytes.ts";
import { getOrder } from "./read.ts";
import { orderFromRows, orderWire, type OrderRow, type OrderWire } from "./wire.ts";

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
/** `sequences` row holding the fingerprint of the serializer that wrote the stored JSON. */
const WIRE_FORMAT = "pedido_json_formato";

/**
 * A fingerprint of the serializer: a sample order, serialized, hashed. A code change that alters what orders
 * serialize to changes it, and the next start rebuilds every stored JSON (no stale format survives an upgrade).
 * note: bump `FORMAT_REVISION` for a change the sample does not show (a rule for some rare field, say).
 */
const FORMAT_REVISION = 1;
export function wireFormat(): number {
  const row = {
    id: 1,
    numero: "0000000001",
    data_entrada: "2026-01-02",
    data_entrega: null,
    observacao: "obs",
    prioridade: "ALTA",
    status: "pendente",
    cliente: "Cliente Ç",
    telefone_cliente: "",
    cidade_cliente: "Vitória",
    estado_cliente: "ES",
    valor_total_cents: 12345,
    valor_frete_cents: 500,
    valor_itens_cents: 11845,
    tipo_pagamento: "Pix",
    obs_pagamento: null,
    forma_envio: "Correios",
    forma_envio_id: 2,
    financeiro: 1,
    conferencia: 0,
    sublimacao: 1,
    costura: 0,
    expedicao: 0,
    pronto: 0,
    sublimacao_maquina: null,
    sublimacao_data_impressao: null,
    financeiro_liberado_em: "2026-01-02T10:00:00.000Z",
    rascunho: 0,
    data_criacao: "2026-01-02T10:00:00.000Z",
    ultima_atualizacao: "2026-01-02T10:00:00.000Z",
  } satisfies OrderRow;
  const stored = (data: Record<string, unknown>) => JSON.stringify({ tipo_producao: "painel", ...data });
  const items = [
    { id: 5, data: stored({ descricao: "a", imagem: "/pedidos/imagens/3", extra: { b: [1] } }), splice: 1, imagem: "/pedidos/imagens/3" },
    { id: 6, data: JSON.stringify({ descricao: "legado", id: 9 }), splice: 0, imagem: null },
  ];
  const wire = orderWire(orderFromRows(row, items));
  return createHash("sha256")
    .update(`${FORMAT_REVISION}\n${wire.json}\n${JSON.stringify(wire.images)}`)
    .digest()
    .readUIntBE(0, 6);
}

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
  q.run(`INSERT OR IGNORE INTO sequences (name, value) VALUES ('${WIRE_FORMAT}', ?)`, wireFormat());
  for (const sql of Object.values(ORDER_JSON_TRIGGERS)) q.run(sql);
}

/** Writes an order's stored JSON (inside the write that emitted its event). */
export function storeOrderJson(tx: Tx, orderId: number, wire: OrderWire): void {
  tx.run(
    "INSERT INTO pedido_json (pedido_id, json, images) VALUES (?, ?, ?) ON CONFLICT(pedido_id) DO UPDATE SET json = excluded.json, images = excluded.images",
    orderId,
    wire.json,
    wire.images ? JSON.stringify(wire.images) : null,
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
  const order = getOrder(q, id);
  return order ? toStored(id, orderWire(order)) : null;
}

/** One order's wire JSON: stored, or serialized from the rows; null when the order does not exist. */
export function orderJsonOf(q: Sql, id: number): StoredOrder | null {
  const r = q.get<{ json: unknown; images: string | null }>(
    "SELECT CAST(json AS BLOB) AS json, images FROM pedido_json WHERE pedido_id = ?",
    id,
  );
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
  for (let at = 0; at < ids.length; ) {
    const left = ids.length - at;
    const size = IN_SIZES.findLast((n) => n <= left) ?? 1;
    const batch = ids.slice(at, at + size);
    at += size;
    const rows = q.all<{ id: number; json: unknown; images: string | null }>(
      `SELECT pedido_id AS id, CAST(json AS BLOB) AS json, images FROM pedido_json WHERE pedido_id IN (${inList.get(size)})`,
      ...batch,
    );
    for (const r of rows)
      found.set(r.id, { id: r.id, json: blobBytes(r.json), images: r.images ? (JSON.parse(r.images) as number[]) : null });
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
  const names = new Set(
    q.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'tr_pedido_json_%'").map((r) => r.name),
  );
  return Object.keys(ORDER_JSON_TRIGGERS).every((n) => names.has(n));
}

/**
 * Serializes and stores the JSON of up to `max` orders after `afterId` that have none (after a migration, or a
 * later migration whose row changes the triggers invalidated). Returns the last id looked at (the next cursor; the
 * same `afterId` when none is left) and how many it wrote.
 */
export function fillOrderJson(q: Sql, afterId = 0, max = 500): { lastId: number; written: number } {
  const ids = q.all<{ id: number }>(
    "SELECT id FROM pedidos WHERE id > ? AND NOT EXISTS (SELECT 1 FROM pedido_json j WHERE j.pedido_id = pedidos.id) ORDER BY id LIMIT ?",
    afterId,
    max,
  );
  let written = 0;
  for (const { id } of ids) {
    let wire: OrderWire;
    try {
      const order = getOrder(q, id);
      if (!order) continue;
      wire = orderWire(order);
    } catch (err) {
      // A damaged item (invalid JSON) must not stop a start or a migration: that order is served from its rows.
      process.emitWarning(`order ${id}: stored JSON not written (${(err as Error).message})`);
      continue;
    }
    q.run(
      "INSERT OR REPLACE INTO pedido_json (pedido_id, json, images) VALUES (?, ?, ?)",
      id,
      wire.json,
      wire.images ? JSON.stringify(wire.images) : null,
    );
    written++;
  }
  return { lastId: ids.length ? ids[ids.length - 1].id : afterId, written };
}

/** Fills every missing stored JSON (migration 011), in batches of `max`, in the caller's transaction. */
export function fillAllOrderJson(q: Sql, max = 500): number {
  let written = 0;
  for (let cursor = 0; ; ) {
    const r = fillOrderJson(q, cursor, max);
    written += r.written;
    if (r.lastId === cursor) return written;
    cursor = r.lastId;
  }
}

/**
 * At startup, after the migrations: re-creates missing triggers (a later migration that rebuilds `pedidos` or
 * `pedido_itens` drops them; every stored JSON is then suspect and is rebuilt), and stores the JSON of every order
 * that has none, 200 orders per transaction (each well under the ~50 ms a write may hold the database).
 */
export function refreshOrderJson(db: Db, log: Logger): number {
  const format = wireFormat();
  const rebuilt = db.writeSync((tx) => {
    const triggers = orderJsonTriggersPresent(tx);
    const stored = tx.get<{ value: number }>("SELECT value FROM sequences WHERE name = ?", WIRE_FORMAT)?.value;
    if (triggers && stored === format) return null;
    createOrderJsonSchema(tx);
    tx.run("DELETE FROM pedido_json");
    tx.run("INSERT INTO sequences (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value", WIRE_FORMAT, format);
    return triggers ? "the serializer changed" : "its triggers were missing (a migration rebuilt a table)";
  });
  if (rebuilt) log.warn({ why: rebuilt }, "every stored order JSON is rebuilt");
  let written = 0;
  for (let cursor = 0; ; ) {
    const r = db.writeSync((tx) => fillOrderJson(tx, cursor, 200));
    written += r.written;
    if (r.lastId === cursor) break;
    cursor = r.lastId;
  }
  if (written) log.info({ orders: written }, "stored order JSON filled");
  return written;
}
