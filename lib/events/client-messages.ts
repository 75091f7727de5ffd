import type { Sql } from "../db/connection.ts";

/** Client frames above this size are ignored (the socket itself refuses frames above `MAX_CLIENT_FRAME_BYTES`). */
export const MAX_RELAY_BYTES = 16 * 1024;
export const MAX_CLIENT_FRAME_BYTES = 64 * 1024;

/**
 * Types a client may relay to the others. Only `order_deleted` is used by the client (after its own DELETE);
 * order creates and updates reach everyone from the event log, so relaying them would only add duplicates.
 */
export const RELAY_TYPES: ReadonlySet<string> = new Set(["order_deleted"]);

export type ClientMessage =
  | { kind: "ping" }
  | { kind: "relay"; type: string; orderId: number; message: Record<string, unknown> }
  | { kind: "ignore"; why: string };

/**
 * Reads one client frame. JSON is parsed (never a substring test: "shipping" is not a ping). `ping` gets a pong;
 * a whitelisted `broadcast: true` message becomes a relay of its type, order_id and timestamp; everything else (the
 * client's `authenticate`, its pongs, binary frames, non-objects, unknown types) is ignored without closing the socket.
 */
export function readClientMessage(text: string | null): ClientMessage {
  if (text === null) return { kind: "ignore", why: "binary frame" };
  if (text.trim() === "ping") return { kind: "ping" }; // bare text ping of the original's docs
  if (text.length > MAX_RELAY_BYTES) return { kind: "ignore", why: "too large" };
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return { kind: "ignore", why: "not JSON" };
  }
  if (!msg || typeof msg !== "object" || Array.isArray(msg)) return { kind: "ignore", why: "not an object" };
  const obj = msg as Record<string, unknown>;
  if (obj.type === "ping") return { kind: "ping" };
  if (obj.broadcast !== true) return { kind: "ignore", why: "not a broadcast" };
  if (typeof obj.type !== "string" || !RELAY_TYPES.has(obj.type)) return { kind: "ignore", why: "type not relayable" };
  const orderId = Number(obj.order_id);
  if (!Number.isSafeInteger(orderId) || orderId <= 0) return { kind: "ignore", why: "no order_id" };
  // Only the fields the client sends with a relay: a client-supplied `event_id` would poison the others' replay
  // cursor, and `order`/`message` would be shown as if the server had said them.
  const message: Record<string, unknown> = { type: obj.type, order_id: orderId };
  if (typeof obj.timestamp === "number" && Number.isFinite(obj.timestamp)) message.timestamp = obj.timestamp;
  return { kind: "relay", type: obj.type, orderId, message };
}

/**
 * The relayed message as others receive it: the client's fields, with the sender identity set by the server
 * (a client cannot speak for another user).
 */
export function stampRelay(message: Record<string, unknown>, sender: { id: number; username: string }): Record<string, unknown> {
  return { ...message, user_id: sender.id, username: sender.username };
}

/**
 * A relay must not announce something that did not happen: an `order_deleted` hint is passed on only when the
 * event log holds that order's deletion (an id that never existed is not "gone") and the order is not there.
 */
export function relayIsTruthful(q: Sql, type: string, orderId: number): boolean {
  if (type !== "order_deleted") return false;
  return (
    !!q.get("SELECT 1 AS x FROM event_log WHERE order_id = ? AND type = 'order_deleted' LIMIT 1", orderId) &&
    !q.get("SELECT 1 AS x FROM pedidos WHERE id = ?", orderId)
  );
}

/**
 * Per-connection token bucket for relays: `burst` at once, refilled at `perSecond`.
 * State lives in the connection's own context, so connections never share it.
 */
export class RelayRateLimit {
  private tokens: number;
  private last: number;

  constructor(
    private readonly burst = 10,
    private readonly perSecond = 2,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  take(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.perSecond);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
