import type { Tx } from "../db/connection.ts";
import type { PedidoResponse } from "./wire.ts";

/** Who made a change (`ctx.user`); `isAdmin` matters only where a rule is admin-only. */
export interface Actor {
  id: number;
  username: string;
  isAdmin?: boolean;
}

export type OrderEventType = "order_created" | "order_updated" | "order_status_updated";

/**
 * Appends an order event in the caller's transaction. The payload is the original's wire message without
 * `event_id`: `{type, order, order_id, user_id, username}`, the order itself also carrying `user_id`/`username`.
 */
export function emitOrderEvent(tx: Tx, type: OrderEventType, order: PedidoResponse, actor: Actor): void {
  tx.emit({
    type,
    orderId: order.id,
    payload: { type, order: { ...order, user_id: actor.id, username: actor.username }, order_id: order.id, user_id: actor.id, username: actor.username },
    actor: { id: actor.id, username: actor.username },
  });
}

export function emitOrderDeleted(tx: Tx, orderId: number, actor: Actor): void {
  tx.emit({ type: "order_deleted", orderId, payload: { type: "order_deleted", order_id: orderId }, actor: { id: actor.id, username: actor.username } });
}
