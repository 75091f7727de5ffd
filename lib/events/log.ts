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
  const logged = q.get<{ id: number | null }>(
    "SELECT order_id AS id FROM event_log WHERE type = 'order_created' ORDER BY id DESC LIMIT 1",
  )?.id ?? 0;
  const stored = q.get<{ id: number | null }>("SELECT MAX(id) AS id FROM pedidos")?.id ?? 0;
  return Math.max(logged, stored);
}
