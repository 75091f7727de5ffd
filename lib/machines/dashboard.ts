import type { Sql } from "../db/connection.ts";
import { listCatalog } from "../catalogs/crud.ts";
import { MAQUINAS } from "../catalogs/definitions.ts";
import { itemDimensions, itemMaterialArea, round } from "../catalogs/measure.ts";
import { itemImageRef, readOrderItems, type OrderItemRow, type SignImage } from "../catalogs/order-items.ts";

/** Order statuses whose items wait in a machine's queue. */
const QUEUED = ["pendente", "em_producao"] as const;

/** One queued item as the client's machine dashboard reads it (client-contract §1.9), plus its stable `item_id`. */
function toQueueEntry(r: OrderItemRow, sign: SignImage) {
  return {
    order_id: r.orderId,
    order_number: r.numero,
    item_index: r.index,
    item_id: r.itemId,
    item_name: (r.item.descricao as string | undefined) || (r.item.tipo_producao as string | undefined) || null,
    dimensions: itemDimensions(r.item),
    material: (r.item.tecido as string | undefined) ?? null,
    date_due: r.dataEntrega,
    preview_url: itemImageRef(r.item, sign),
    status: r.status,
    priority: r.prioridade,
  };
}

/** Urgent first, then the earliest due date (undated last), then the oldest order, then item order. */
const queueOrder = (a: OrderItemRow, b: OrderItemRow) =>
  (a.prioridade === "ALTA" ? 0 : 1) - (b.prioridade === "ALTA" ? 0 : 1) ||
  (a.dataEntrega ?? "9999").localeCompare(b.dataEntrega ?? "9999") ||
  a.orderId - b.orderId ||
  a.index - b.index;

/**
 * `GET /maquinas/dashboard/overview`: for each active machine (by name), the items assigned to it in orders that
 * are pending or in production, with their count and total m² (area × pieces).
 */
export function machinesOverview(q: Sql, sign: SignImage) {
  const machines = listCatalog(q, MAQUINAS, { activeOnly: true }).sort(
    (a, b) => String(a.name).localeCompare(String(b.name)) || Number(a.id) - Number(b.id),
  );
  if (machines.length === 0) return [];
  const rows = readOrderItems(q, { statusIn: QUEUED, machineIds: machines.map((m) => Number(m.id)) });
  const byMachine = new Map<number, OrderItemRow[]>();
  for (const r of rows) {
    const list = byMachine.get(r.machineId!) ?? [];
    list.push(r);
    byMachine.set(r.machineId!, list);
  }
  return machines.map((m) => {
    const queue = (byMachine.get(Number(m.id)) ?? []).sort(queueOrder);
    return {
      machine_id: Number(m.id),
      machine_name: String(m.name),
      total_items: queue.length,
      total_area: round(queue.reduce((s, r) => s + itemMaterialArea(r.item), 0)),
      queue: queue.map((r) => toQueueEntry(r, sign)),
    };
  });
}
