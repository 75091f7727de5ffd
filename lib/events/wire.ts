/**
 * Wire serialization of committed events. The stored payload is the message without `event_id`; the wire adds it
 * last, so the original's key order (`type`, `order`, `order_id`, `user_id`, `username`) is kept.
 */

/** Above this many bytes an event goes out as `{type, order_id, event_id}` and the client fetches the order. */
export const DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024;

/**
 * Event types meant for one user: their payload's `user_id` is the recipient, not the actor.
 * They are delivered (live and in replays) only to that user's connections.
 */
const PRIVATE_TYPES = new Set(["designer_art_ready", "designer_art_assigned"]);

/**
 * Event types for the server's own readers (the sync sinks), never sent to sockets, live or in replays: user
 * writes (`lib/auth/user-events.ts`) are nobody's business on the order board.
 */
const SERVER_ONLY_TYPES = new Set(["user_changed", "user_deleted"]);

/** One serialized event, shared by every peer it is sent to. */
export interface WireEvent {
  id: number;
  /** The exact text sent to peers (capped). */
  text: string;
  /** Recipient user id for private events; null = everyone. */
  recipient: number | null;
}

/**
 * Appends `event_id` to a stored payload without parsing it again.
 * @example withEventId('{"type":"order_deleted","order_id":7}', 12) // '{"type":"order_deleted","order_id":7,"event_id":12}'
 */
export function withEventId(payloadJson: string, id: number): string {
  const body = payloadJson.trimEnd();
  if (!body.startsWith("{") || !body.endsWith("}")) throw new Error(`event ${id}: payload is not a JSON object`);
  const inner = body.slice(1, -1).trim();
  return inner ? `{${inner},"event_id":${id}}` : `{"event_id":${id}}`;
}

/**
 * Serializes one event for delivery, once: the text every subscriber receives.
 * A message above `maxBytes` is reduced to `{type, order_id, event_id}` (the audit's risk 9).
 */
export function toWireEvent(
  e: { id: number; type: string; orderId: number | null; payloadJson: string | null; payload?: Record<string, unknown> },
  maxBytes = DEFAULT_MAX_MESSAGE_BYTES,
): WireEvent {
  // No payload: a replay left a too-large one unread; the head is all that goes out (a private one to nobody).
  if (e.payloadJson === null) {
    return {
      id: e.id,
      text: JSON.stringify({ type: e.type, order_id: e.orderId, event_id: e.id }),
      recipient: PRIVATE_TYPES.has(e.type) ? -1 : null,
    };
  }
  let text = withEventId(e.payloadJson, e.id);
  // note: string length is a lower bound of the UTF-8 size, so the exact count is only needed near the cap.
  if (text.length > maxBytes / 3 && Buffer.byteLength(text) > maxBytes) {
    text = JSON.stringify({ type: e.type, order_id: e.orderId, event_id: e.id });
  }
  let recipient: number | null = null;
  if (SERVER_ONLY_TYPES.has(e.type)) {
    recipient = -1; // no user has this id: delivered to nobody
  } else if (PRIVATE_TYPES.has(e.type)) {
    const payload = e.payload ?? (JSON.parse(e.payloadJson) as Record<string, unknown>);
    recipient = Number(payload.user_id);
    // A private event without a valid recipient goes to nobody rather than to everyone.
    if (!Number.isSafeInteger(recipient)) recipient = -1;
  }
  return { id: e.id, text, recipient };
}

/** Server-originated control messages (not in the log). */
export const PING_TEXT = '{"type":"ping"}';
export const PONG_TEXT = '{"type":"pong"}';
