/**
 * Orders: the repository other modules call. Reads take any `Sql` (`ctx.db.read(q => …)`), writes a `Tx`
 * (`ctx.db.write(tx => …)`) and emit their events in it.
 */
export { getOrder, orderExists, listOrdersBytes, countOrders, ordersByStatus, listDrafts, ordersWhere, type OrderFilter, type Viewer } from "./read.ts";
export { createOrder, updateOrder, deleteOrder, batchStatus, patchItem, patchItemOf, promoteDraft, refreshTotals, type AfterItems } from "./write.ts";
export { findItem, writeItems, type FoundItem } from "./items.ts";
export { emitOrderEvent, type Actor } from "./events.ts";
export type { PedidoResponse, WireItem } from "./wire.ts";
