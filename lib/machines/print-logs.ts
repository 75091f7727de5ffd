import type { Param, Sql, Tx } from "../db/connection.ts";
import { textOrNull } from "../text.ts";
import { notFound } from "../errors.ts";
import { nowIso, toIsoUtc } from "../time.ts";
import { itemDimensions, round } from "../catalogs/measure.ts";
import { itemImageRef, type SignImage } from "../catalogs/order-items.ts";
import { findItem } from "../orders/index.ts";

/**
 * Print logs (`/print-logs`): one row per (order, item) printed on a machine, upserted on reprint.
 * `status` is stored lowercase (`success|error|reprint`). `item_id` is the stable item id; an old client may
 * send the original's fallback id (`pedido.id*1000+index`), which is resolved to the stable one.
 */

export const PRINT_STATUSES = ["success", "error", "reprint"] as const;
export type PrintStatus = (typeof PRINT_STATUSES)[number];

export interface PrintLogQuery {
  limit: number;
  offset: number;
  status_filter?: PrintStatus;
  data_inicio?: string;
  data_fim?: string;
}

export interface NewPrintLog {
  /** 0 = the item had no machine (the client sends it so); stored as no printer. */
  printer_id: number;
  pedido_id: number;
  item_id?: number | null;
  status: PrintStatus;
  error_message?: string | null;
}

// The item shown for a log without item id is the order's first item (the client logs whole orders that way).
const SELECT = `SELECT l.id, l.printer_id, l.pedido_id, l.item_id, l.item_id_legado, l.status, l.error_message, l.created_at,
    m.name AS printer_name, p.numero, p.cliente,
    CASE WHEN l.item_id IS NOT NULL THEN i.data
         WHEN l.item_id_legado IS NULL THEN (SELECT f.data FROM pedido_itens f WHERE f.pedido_id = l.pedido_id ORDER BY f.posicao LIMIT 1)
    END AS item_data
  FROM print_logs l
  LEFT JOIN machines m ON m.id = l.printer_id
  LEFT JOIN pedidos p ON p.id = l.pedido_id
  LEFT JOIN pedido_itens i ON i.id = l.item_id`;

const unsigned: SignImage = (ref) => ref;

/** A log row in the client's `PrintLog` shape (client-contract §1.10). */
function toWire(r: Record<string, unknown>, sign: SignImage) {
  let item: Record<string, unknown> = {};
  try {
    if (r.item_data) item = JSON.parse(String(r.item_data));
  } catch {
    // a damaged item JSON leaves the item fields empty
  }
  return {
    id: Number(r.id),
    printer_id: r.printer_id === null ? 0 : Number(r.printer_id),
    printer_name: textOrNull(r.printer_name),
    pedido_id: r.pedido_id === null ? null : Number(r.pedido_id),
    pedido_numero: textOrNull(r.numero),
    cliente: textOrNull(r.cliente),
    item_id: r.item_id !== null ? Number(r.item_id) : r.item_id_legado !== null ? Number(r.item_id_legado) : null,
    item_descricao: textOrNull(item.descricao),
    item_imagem: itemImageRef(item, sign),
    item_medidas: itemDimensions(item),
    item_material: textOrNull(item.tecido),
    status: String(r.status).toLowerCase(),
    error_message: textOrNull(r.error_message),
    created_at: toIsoUtc(r.created_at),
  };
}
export type PrintLogWire = ReturnType<typeof toWire>;

/** Logs newest first, optionally of one printer, filtered by status and by creation date (inclusive). */
export function listPrintLogs(q: Sql, f: PrintLogQuery, sign: SignImage, printerId?: number): PrintLogWire[] {
  const where: string[] = [];
  const params: Param[] = [];
  if (printerId !== undefined) { where.push("l.printer_id = ?"); params.push(printerId); }
  if (f.status_filter) { where.push("l.status = ?"); params.push(f.status_filter); }
  if (f.data_inicio) { where.push("substr(l.created_at, 1, 10) >= ?"); params.push(f.data_inicio); }
  if (f.data_fim) { where.push("substr(l.created_at, 1, 10) <= ?"); params.push(f.data_fim); }
  const sql = `${SELECT}${where.length ? " WHERE " + where.join(" AND ") : ""} ORDER BY l.created_at DESC, l.id DESC LIMIT ? OFFSET ?`;
  return q.all<Record<string, unknown>>(sql, ...params, f.limit, f.offset).map((r) => toWire(r, sign));
}

const machineName = (q: Sql, id: number): string => {
  const m = q.get<{ name: string }>("SELECT name FROM machines WHERE id = ?", id);
  if (!m) throw notFound("Máquina não encontrada");
  return m.name;
};

/** The stable id of an item of the order (from its stable or fallback id); 404 when the order has no such item. */
function itemOfOrder(q: Sql, orderId: number, itemId: number): number {
  const found = findItem(q, itemId, orderId);
  if (!found) throw notFound(`Item ${itemId} não encontrado no pedido ${orderId}`);
  return found.itemId;
}

/**
 * Records a print (201): one log per (order, item), so a reprint updates the row (status, printer, time).
 * 404 when the printer, the order or the item is missing. Appends a `print_log_created` event for the order,
 * so other screens refresh their print badges.
 */
export function recordPrint(tx: Tx, body: NewPrintLog, actor: { id: number; username: string }, sign: SignImage): PrintLogWire {
  const printerId = body.printer_id === 0 ? null : body.printer_id;
  if (printerId !== null) machineName(tx, printerId);
  if (!tx.get("SELECT 1 AS x FROM pedidos WHERE id = ?", body.pedido_id)) throw notFound("Pedido não encontrado");
  const itemId = body.item_id === null || body.item_id === undefined ? null : itemOfOrder(tx, body.pedido_id, body.item_id);
  const now = nowIso();
  const existing = tx.get<{ id: number }>(
    "SELECT id FROM print_logs WHERE pedido_id = ? AND item_id IS ? AND item_id_legado IS NULL ORDER BY id LIMIT 1", body.pedido_id, itemId,
  );
  let id: number;
  if (existing) {
    id = existing.id;
    tx.run("UPDATE print_logs SET printer_id = ?, status = ?, error_message = ?, created_at = ? WHERE id = ?", printerId, body.status, body.error_message ?? null, now, id);
  } else {
    id = tx.run(
      "INSERT INTO print_logs (printer_id, pedido_id, item_id, status, error_message, created_at) VALUES (?, ?, ?, ?, ?, ?)",
      printerId, body.pedido_id, itemId, body.status, body.error_message ?? null, now,
    ).lastInsertRowid;
  }
  const row = tx.get<Record<string, unknown>>(`${SELECT} WHERE l.id = ?`, id)!;
  // The logged event keeps the stored image reference; only the response gets the expiring signature.
  const log = toWire(row, unsigned);
  tx.emit({
    type: "print_log_created",
    orderId: body.pedido_id,
    payload: { type: "print_log_created", order_id: body.pedido_id, print_log: log, user_id: actor.id, username: actor.username },
    actor,
  });
  return toWire(row, sign);
}

/** `GET /print-logs/stats/{printer_id}`: counts per status and the success rate in %. */
export function printerStats(q: Sql, printerId: number) {
  const name = machineName(q, printerId);
  const counts = q.get<{ total: number; ok: number; err: number; re: number }>(
    `SELECT COUNT(*) AS total, SUM(status = 'success') AS ok, SUM(status = 'error') AS err, SUM(status = 'reprint') AS re
     FROM print_logs WHERE printer_id = ?`, printerId,
  )!;
  const total = Number(counts.total);
  const ok = Number(counts.ok ?? 0);
  return {
    printer_id: printerId,
    printer_name: name,
    total_prints: total,
    successful: ok,
    errors: Number(counts.err ?? 0),
    reprints: Number(counts.re ?? 0),
    success_rate: total ? round((ok / total) * 100) : 0,
  };
}
