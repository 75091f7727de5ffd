import type { Sql } from "../db/connection.ts";
import type { SinkName } from "./store.ts";

/** An event of the log as the sync worker sees it: no payload (each sink reads what it needs, in SQL). */
export interface EventRef {
  id: number;
  type: string;
  orderId: number | null;
  createdAt: string;
}

/** The order events whose payload carries the order (`order.*`) or, for deletes, whose order is in sync_deleted_orders. */
export const ORDER_EVENT_TYPES: readonly string[] = ["order_created", "order_updated", "order_status_updated", "order_deleted"];
export const USER_EVENT_TYPES: readonly string[] = ["user_changed", "user_deleted"];

/** Events committed after `cursor`, oldest first, at most `limit`. */
export function eventRefsAfter(q: Sql, cursor: number, limit: number): EventRef[] {
  return q
    .all<{ id: number; type: string; order_id: number | null; created_at: string }>(
      "SELECT id, type, order_id, created_at FROM event_log WHERE id > ? ORDER BY id LIMIT ?",
      cursor,
      limit,
    )
    .map((r) => ({ id: r.id, type: r.type, orderId: r.order_id, createdAt: r.created_at }));
}

export function eventRef(q: Sql, id: number): EventRef | null {
  const r = q.get<{ id: number; type: string; order_id: number | null; created_at: string }>(
    "SELECT id, type, order_id, created_at FROM event_log WHERE id = ?",
    id,
  );
  return r ? { id: r.id, type: r.type, orderId: r.order_id, createdAt: r.created_at } : null;
}

/**
 * The retry delay after `failures` failed attempts (0 for the first): min(base·2^failures, max) + jitter, the
 * jitter up to min(base, 5 s) (the original's `random(0..5)` s with its 5 s base), so processes and sinks that
 * failed together do not all retry in the same instant.
 * @example retryDelayMs(0, 5_000, 600_000) // 5 000 … 10 000
 */
export function retryDelayMs(failures: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const exp = Math.min(baseMs * 2 ** Math.min(failures, 40), maxMs);
  return Math.round(exp + random() * Math.min(baseMs, 5_000));
}

/** What one delivery did: events the receiver acknowledged, and events that had nothing for this sink. */
export interface DeliveryOutcome {
  delivered: number;
  skipped: number;
}

export interface DeliveryContext {
  /** Aborted at the delivery deadline or when the process stops: the sink must give up at once. */
  signal: AbortSignal;
  /**
   * A dead letter sent again after the cursor went past it: out of order. A sink that mirrors state must apply the
   * current state rather than the event's own, so an old event never overwrites a newer one.
   */
  redelivery: boolean;
}

/**
 * One outside system. `deliver` gets consecutive events (oldest first) and resolves only once the receiver
 * acknowledged all of them as one unit (a 2xx; a committed transaction); it throws otherwise, and then none of
 * them counts as delivered. It must be safe to call again with the same events (at-least-once).
 */
export interface Sink {
  readonly name: SinkName;
  /**
   * Optional read-only preparation before `deliver` (thumbnails), outside the delivery's time budget: it may take
   * long, and it commits nothing. `signal` aborts it when the process stops.
   */
  prepare?(events: readonly EventRef[], ctx: DeliveryContext): Promise<void>;
  deliver(events: readonly EventRef[], ctx: DeliveryContext): Promise<DeliveryOutcome>;
  /** Releases connections and threads; called once when the worker stops. */
  close(): Promise<void>;
}

/** A short text for an error, for logs and `last_error`. */
export function errorText(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    const cause = (err as { cause?: unknown }).cause;
    const causeText =
      cause instanceof Error
        ? `: ${cause.message}${(cause as { code?: unknown }).code ? ` (${String((cause as { code?: unknown }).code)})` : ""}`
        : "";
    return `${err.message}${code && !err.message.includes(String(code)) ? ` (${String(code)})` : ""}${causeText}`;
  }
  return String(err);
}
