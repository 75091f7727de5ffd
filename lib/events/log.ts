import type { Sql } from "../db/connection.ts";

/** A row of the event log as read back for replay: the stored payload stays JSON text (serialized once, at emit). */
export interface LoggedEvent {
  id: number;
  type: string;
  orderId: number | null;
  /** The wire message without `event_id`, as stored. */
  payloadJson: string;
}

/**
 * Events committed after `afterId`, oldest first, at most `limit`.
 * @example eventsSince(q, 41, 500) // ids 42, 43, … in commit order
 */
export function eventsSince(q: Sql, afterId: number, limit: number): LoggedEvent[] {
  return q
    .all<{ id: number; type: string; order_id: number | null; payload: string }>(
      "SELECT id, type, order_id, payload FROM event_log WHERE id > ? ORDER BY id LIMIT ?",
      afterId,
      limit,
    )
    .map((r) => ({ id: r.id, type: r.type, orderId: r.order_id, payloadJson: r.payload }));
}

/** A replay page entry: the event, or only its head when it is too large to send (`payloadJson` null). */
export interface ReplayEvent {
  id: number;
  type: string;
  orderId: number | null;
  payloadJson: string | null;
}

/**
 * The next replay page after `afterId`, bounded in bytes: events are taken in id order while their payloads add up
 * to at most `maxBytes` (at least one), at most `maxEvents`. A payload whose message would exceed `maxMessageBytes`
 * is not read at all (`payloadJson` null: the peer gets `{type, order_id, event_id}`), so a page of 200 orders with
 * a 220 KB `observacao` each costs a few KB of memory, not 44 MB. Sizes come from `octet_length`, which SQLite
 * answers from the record header without loading the text.
 */
export function replayPage(q: Sql, afterId: number, maxBytes: number, maxMessageBytes: number, maxEvents = 200): ReplayEvent[] {
  const heads = q.all<{ id: number; type: string; order_id: number | null; n: number }>(
    "SELECT id, type, order_id, octet_length(payload) AS n FROM event_log WHERE id > ? ORDER BY id LIMIT ?",
    afterId,
    maxEvents,
  );
  const page: ReplayEvent[] = [];
  let bytes = 0;
  let lastFull = -1;
  for (const h of heads) {
    // The message is the payload plus `,"event_id":N` (toWireEvent): too large means it goes out as a head only.
    const full = h.n + 12 + String(h.id).length <= maxMessageBytes;
    if (full && page.length > 0 && bytes + h.n > maxBytes) break;
    page.push({ id: h.id, type: h.type, orderId: h.order_id, payloadJson: null });
    if (full) {
      bytes += h.n;
      lastFull = page.length - 1;
    }
  }
  if (lastFull >= 0) {
    const wanted = page.filter((_, i) => i <= lastFull && heads[i].n + 12 + String(heads[i].id).length <= maxMessageBytes);
    const rows = q.all<{ id: number; payload: string }>(
      "SELECT id, payload FROM event_log WHERE id BETWEEN ? AND ? AND octet_length(payload) <= ?",
      wanted[0].id,
      wanted[wanted.length - 1].id,
      maxMessageBytes,
    );
    const byId = new Map(rows.map((r) => [r.id, r.payload]));
    for (const e of wanted) e.payloadJson = byId.get(e.id) ?? null;
  }
  return page;
}

/** The id of the last committed event (0 for an empty log). */
export function lastEventId(q: Sql): number {
  return q.get<{ id: number | null }>("SELECT MAX(id) AS id FROM event_log")?.id ?? 0;
}

/** How many events were committed after `afterId` (to decide whether a replay fits). */
export function countSince(q: Sql, afterId: number): number {
  return q.get<{ n: number }>("SELECT COUNT(*) AS n FROM event_log WHERE id > ?", afterId)?.n ?? 0;
}

/**
 * The id of the most recently created order, for `/api/notificacoes/ultimos`: the newest `order_created` event, or
 * the highest order id for a database taken over from the original (its orders have no events). Deletes never
 * lower it, as in the original.
 */
export function lastCreatedOrderId(q: Sql): number {
  const logged =
    q.get<{ id: number | null }>("SELECT order_id AS id FROM event_log WHERE type = 'order_created' ORDER BY id DESC LIMIT 1")?.id ?? 0;
  const stored = q.get<{ id: number | null }>("SELECT MAX(id) AS id FROM pedidos")?.id ?? 0;
  return Math.max(logged, stored);
}
