import type { CommittedEvent, Db, NewEvent, Tx } from "../db/connection.ts";
import { applyStockDelta, stockDelta } from "../catalogs/stock.ts";
import { recordOrderPrints } from "../machines/print-logs.ts";
import { asOrder, orderOfEvent, orderWireOfEvent } from "./events.ts";
import { notifyAssignedDesigners } from "./designer-assignments.ts";
import { deleteOrderJson, storeOrderJson } from "./stored.ts";

/**
 * The effects that commit with an order write, hung off the events the write emits (PocketBase's model hooks):
 * each runs inside `tx.emit`, in the write's transaction, and a throw rolls the whole write back. After-commit
 * work (the hub, file moves and deletes) is not here: it reads committed events or runs in `operations.ts`.
 */

export interface OrderHookSettings {
  /** `MATERIAL_STOCK_AUTO_DEDUCTION`. */
  materialStockAutoDeduction: boolean;
}

/** The events that change what an order is: each carries the order before (in memory) and after (its payload). */
const STATE_EVENTS = new Set(["order_created", "order_updated", "order_deleted"]);

/**
 * Material stock follows every order write: the delta between the order before and after the write
 * (`lib/catalogs/stock.ts`). `order_status_updated` always rides with an `order_updated` of the same write, so it
 * is not counted twice.
 */
function deductStock(tx: Tx, event: CommittedEvent, before: unknown): void {
  if (!STATE_EVENTS.has(event.type) || event.orderId === null) return;
  applyStockDelta(tx, stockDelta(asOrder(before), orderOfEvent(event)));
}

/**
 * A new order logs a `success` print for each item with a machine (the original's create did): on
 * `order_created`, which a create emits (`before` null) and a draft's promotion too (`before` = the draft). A
 * promoted draft gets its logs as a create does: that is when it becomes an order the shop produces; a draft
 * itself (`order_updated`) gets none.
 */
function logMachinePrints(tx: Tx, event: CommittedEvent): void {
  if (event.type !== "order_created") return;
  const order = orderOfEvent(event);
  if (order) recordOrderPrints(tx, order);
}

/**
 * The stored wire JSON (`stored.ts`) follows every order event: the order as the event carries it, serialized once
 * by the emitter, written in the same transaction (so lists, the poll and `GET /pedidos/{id}` write it through).
 * The triggers of migration 011 delete it whenever the order's rows change afterwards, so it is never stale.
 */
function storeWireJson(tx: Tx, event: CommittedEvent, _before: unknown, emitted: NewEvent): void {
  if (event.orderId === null) return;
  if (event.type === "order_deleted") {
    deleteOrderJson(tx, event.orderId);
    return;
  }
  const wire = orderWireOfEvent(emitted);
  // `order_status_updated` rides with the `order_updated` of the same write and the same serialized order.
  if (!wire || stored.has(wire)) return;
  storeOrderJson(tx, event.orderId, wire);
  stored.add(wire);
}
const stored = new WeakSet<object>();

/** Registers the order hooks on a database handle; `openDeps` calls it once per process. */
export function installOrderHooks(db: Db, settings: OrderHookSettings): void {
  db.onEvent(storeWireJson);
  if (settings.materialStockAutoDeduction) db.onEvent(deductStock);
  db.onEvent(logMachinePrints);
  db.onEvent(notifyAssignedDesigners);
}
