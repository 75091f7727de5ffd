import type { Param, Sql, Tx } from "../db/connection.ts";
import { textOrNull } from "../text.ts";
import { notFound } from "../errors.ts";
import { nowIso, toIsoUtc } from "../time.ts";
import { itemDimensions, round } from "../catalogs/measure.ts";
import { itemImageRef, type SignImage } from "../catalogs/order-items.ts";
import { findItem } from "../orders/items.ts";

/**
 * Print logs (`/print-logs`): the history of prints. A log without `item_id` (what the client sends when it prints
 * an order's sheet) is a new row every time, so reprints and the printer statistics count each print; a log of
 * one item is upserted per (pedido, item), as the original did. Order creation logs its items' machines
 * (`recordOrderPrints`, an in-transaction hook of `order_created`).
 * `status` is stored lowercase (`success|error|reprint`). `item_id` is the stable item id; an old client may
 * send the original's fallback id (`pedido.id*1000+index`), which is resolved to the stable one. `printer_id` 0
 * (the client's "no machine") is stored as no printer and sent back as 0, `"Sem máquina"`.
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

/** The name of printer 0: a print of an order whose item had no machine. */
export const NO_MACHINE = "Sem máquina";

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
    // Never null: the client groups the history by it.
    printer_name: textOrNull(r.printer_name) ?? (r.printer_id === null ? NO_MACHINE : "Desconhecida"),
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

/**
 * Logs newest first, optionally of one printer (0: the logs without a machine; an unknown one is 404), filtered by
 * status and by creation date (inclusive).
 */
export function listPrintLogs(q: Sql, f: PrintLogQuery, sign: SignImage, printerId?: number): PrintLogWire[] {
  const where: string[] = [];
  const params: Param[] = [];
  if (printerId === 0) where.push("l.printer_id IS NULL");
  else if (printerId !== undefined) {
    machineName(q, printerId);
    where.push("l.printer_id = ?");
    params.push(printerId);
  }
  if (f.status_filter) {
    where.push("l.status = ?");
    params.push(f.status_filter);
  }
  if (f.data_inicio) {
    where.push("substr(l.created_at, 1, 10) >= ?");
    params.push(f.data_inicio);
  }
  if (f.data_fim) {
    where.push("substr(l.created_at, 1, 10) <= ?");
    params.push(f.data_fim);
  }
  const sql = `${SELECT}${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY l.created_at DESC, l.id DESC LIMIT ? OFFSET ?`;
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
 * Records a print (201). Without `item_id`, a new row every time (the history); with one, the (order, item) row
 * is updated (printer, status, message, time) or created. 404 when the printer, the order or the item is missing.
 * Appends a `print_log_created` event for the order, so other screens refresh their print badges.
 */
export function recordPrint(tx: Tx, body: NewPrintLog, actor: { id: number; username: string }, sign: SignImage): PrintLogWire {
  const printerId = body.printer_id === 0 ? null : body.printer_id;
  if (printerId !== null) machineName(tx, printerId);
  if (!tx.get("SELECT 1 AS x FROM pedidos WHERE id = ?", body.pedido_id)) throw notFound("Pedido não encontrado");
  const itemId = body.item_id === null || body.item_id === undefined ? null : itemOfOrder(tx, body.pedido_id, body.item_id);
  const now = nowIso();
  // The latest row of the item, should older data hold several.
  const existing =
    itemId === null
      ? undefined
      : tx.get<{ id: number }>(
          "SELECT id FROM print_logs WHERE pedido_id = ? AND item_id = ? ORDER BY id DESC LIMIT 1",
          body.pedido_id,
          itemId,
        );
  let id: number;
  if (existing) {
    id = existing.id;
    tx.run(
      "UPDATE print_logs SET printer_id = ?, status = ?, error_message = ?, created_at = ? WHERE id = ?",
      printerId,
      body.status,
      body.error_message ?? null,
      now,
      id,
    );
  } else {
    id = tx.run(
      "INSERT INTO print_logs (printer_id, pedido_id, item_id, status, error_message, created_at) VALUES (?, ?, ?, ?, ?, ?)",
      printerId,
      body.pedido_id,
      itemId,
      body.status,
      body.error_message ?? null,
      now,
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

/** A positive machine id from an item's `machine_id` (a number or a numeric string, as the client sends it). */
function machineIdOf(value: unknown): number | null {
  const n = typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  return typeof n === "number" && Number.isSafeInteger(n) && n > 0 ? n : null;
}

/**
 * The original's side effect of creating an order: one `success` log per item with a `machine_id > 0` naming an
 * existing machine (others are skipped, as the original's failed inserts were). Runs inside the write transaction
 * of the order (the `order_created` hook, `lib/orders/hooks.ts`). An item that already has a log (a draft's item
 * patched before its promotion) gets no second one. Returns how many logs were written.
 */
export function recordOrderPrints(tx: Tx, order: { id: number; items?: readonly { id?: unknown; machine_id?: unknown }[] }): number {
  const wanted = (order.items ?? [])
    .map((item) => ({ itemId: Number(item.id), machine: machineIdOf(item.machine_id) }))
    .filter((x): x is { itemId: number; machine: number } => x.machine !== null && Number.isSafeInteger(x.itemId));
  if (wanted.length === 0) return 0;
  const asked = [...new Set(wanted.map((w) => w.machine))];
  const machines = new Set(
    tx.all<{ id: number }>(`SELECT id FROM machines WHERE id IN (${asked.map(() => "?").join(", ")})`, ...asked).map((m) => m.id),
  );
  const logged = new Set(
    tx
      .all<{ item_id: number }>("SELECT item_id FROM print_logs WHERE pedido_id = ? AND item_id IS NOT NULL", order.id)
      .map((r) => r.item_id),
  );
  const now = nowIso();
  let written = 0;
  for (const w of wanted) {
    if (!machines.has(w.machine) || logged.has(w.itemId)) continue;
    tx.run(
      "INSERT INTO print_logs (printer_id, pedido_id, item_id, status, created_at) VALUES (?, ?, ?, 'success', ?)",
      w.machine,
      order.id,
      w.itemId,
      now,
    );
    logged.add(w.itemId);
    written++;
  }
  return written;
}

/**
 * `GET /print-logs/stats/{printer_id}`: counts per status (every print of the history) and the success rate in %.
 * Printer 0 counts the prints without a machine; an unknown printer is 404.
 */
export function printerStats(q: Sql, printerId: number) {
  const name = printerId === 0 ? NO_MACHINE : machineName(q, printerId);
  const counts = q.get<{ total: number; ok: number; err: number; re: number }>(
    `SELECT COUNT(*) AS total, SUM(status = 'success') AS ok, SUM(status = 'error') AS err, SUM(status = 'reprint') AS re
     FROM print_logs WHERE ${printerId === 0 ? "printer_id IS NULL" : "printer_id = ?"}`,
    ...(printerId === 0 ? [] : [printerId]),
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
