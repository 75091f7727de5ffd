import type { CommittedEvent, NewEvent, Tx } from "../db/connection.ts";
import { orderEventJson, orderWire, type OrderWire, type PedidoResponse } from "./wire.ts";

/** Who made a change (`ctx.user`); `isAdmin` matters only where a rule is admin-only. */
export interface Actor {
  id: number;
  username: string;
  isAdmin?: boolean;
}

export type OrderEventType = "order_created" | "order_updated" | "order_status_updated";

/** The order events whose payload carries the order as committed. */
export const ORDER_SNAPSHOT_EVENTS: readonly string[] = ["order_created", "order_updated", "order_status_updated"];

/**
 * Appends an order event in the caller's transaction. The payload is the original's wire message without
 * `event_id`: `{type, order, order_id, user_id, username}`, the order itself also carrying `user_id`/`username`.
 * `before` is the order as it was when this write started (null: it did not exist); it stays in memory, for the
 * in-transaction hooks (`lib/orders/hooks.ts`).
 * `extra` adds keys after the standard ones (a write that is about something attached to the order, a reposição
 * say, tells what); it never replaces a standard key.
 * @example emitOrderEvent(tx, "order_updated", order, actor, order, { reposicao, reposicao_acao: "criada" })
 */
export function emitOrderEvent(
  tx: Tx,
  type: OrderEventType,
  order: PedidoResponse,
  actor: Actor,
  before: PedidoResponse | null,
  extra?: Record<string, unknown>,
): CommittedEvent {
  // Serialized once (memoized per order object): the log's payload text, the stored wire JSON (hooks.ts) and the
  // HTTP response all reuse this text.
  const wire = orderWire(order);
  const meta: OrderEventMeta = { wire };
  // The in-memory payload's `order` is built only if a hook reads it (the stock hook): copying the order would
  // parse its items, which nothing else needs (the log, the sockets and the response use the serialized text).
  const payload: Record<string, unknown> = { type };
  let withActor: PedidoResponse | undefined;
  Object.defineProperty(payload, "order", {
    enumerable: true,
    get: () => (withActor ??= { ...order, user_id: actor.id, username: actor.username } as PedidoResponse),
  });
  Object.assign(payload, { order_id: order.id, user_id: actor.id, username: actor.username });
  let payloadJson = orderEventJson(type, wire, order.id, actor);
  if (extra) {
    const added = Object.fromEntries(Object.entries(extra).filter(([k]) => !(k in payload)));
    Object.assign(payload, added);
    const text = JSON.stringify(added);
    if (text !== "{}") payloadJson = `${payloadJson.slice(0, -1)},${text.slice(1)}`;
  }
  return tx.emit({ type, orderId: order.id, payload, payloadJson, actor: { id: actor.id, username: actor.username }, before, meta });
}

/** What an order event hands its in-transaction hooks besides the payload: the order as serialized. */
export interface OrderEventMeta {
  wire: OrderWire;
}

/** The serialized order an order event carries for the hooks (null for other events). */
export const orderWireOfEvent = (emitted: NewEvent): OrderWire | null =>
  (emitted.meta as Partial<OrderEventMeta> | undefined)?.wire ?? null;

/** `order_deleted`; `before` is the order as it was just before the delete. */
export function emitOrderDeleted(tx: Tx, before: PedidoResponse, actor: Actor): CommittedEvent {
  return tx.emit({
    type: "order_deleted",
    orderId: before.id,
    payload: { type: "order_deleted", order_id: before.id },
    actor: { id: actor.id, username: actor.username },
    before,
  });
}

/** `x` when it has an order's shape (an id and an items list), else null: hooks see every event, even odd ones. */
export function asOrder(x: unknown): PedidoResponse | null {
  const o = x as PedidoResponse | null | undefined;
  return o && typeof o === "object" && typeof o.id === "number" && Array.isArray(o.items) ? o : null;
}

/** The order an event's payload carries (null for `order_deleted` and non-order events). */
export function orderOfEvent(event: Pick<CommittedEvent, "type" | "payload">): PedidoResponse | null {
  return ORDER_SNAPSHOT_EVENTS.includes(event.type) ? asOrder(event.payload.order) : null;
}
