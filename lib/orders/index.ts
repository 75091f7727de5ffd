/**
 * Orders: what other modules and the handlers call.
 * - Reads take any `Sql` (`ctx.db.read(q => …)`).
 * - Writes are whole operations (`operations.ts`): one call per write, images and files included; their
 *   in-transaction effects hang off the events they emit (`hooks.ts`).
 * - Other lib/ modules that write an order inside their own transaction use `write.ts` and emit like it does.
 */
export {
  getOrder,
  orderExists,
  listOrderIds,
  clientFilterOf,
  orderListStream,
  orderBody,
  writtenOrderBody,
  countOrders,
  orderIdsByStatus,
  draftIds,
  ordersWhere,
  responseSigner,
  listMemoKey,
  type OrderFilter,
  type Viewer,
} from "./read.ts";
export { refreshOrderJson } from "./stored.ts";
export {
  createOrder,
  createDraft,
  updateOrder,
  promoteDraft,
  setOrdersStatus,
  deleteOrder,
  patchOrderItem,
  setItemArtStatus,
  addItemComment,
  type OrderDeps,
} from "./operations.ts";
export { installOrderHooks, type OrderHookSettings } from "./hooks.ts";
export { findItem, writeItems, type FoundItem } from "./items.ts";
export { emitOrderEvent, emitOrderDeleted, orderOfEvent, type Actor } from "./events.ts";
export type { PedidoResponse, WireItem } from "./wire.ts";
