import * as v from "valibot";
import { Count, Id, named, Timestamp } from "../wire-schemas.ts";
import { PRINT_STATUSES } from "./print-logs.ts";

/** Wire shapes of the machine dashboard and the print logs (client-contract §1.9, §1.10). */

/** One queued item of a machine (`lib/machines/dashboard.ts` `toQueueEntry`). */
const QueueEntry = named(
  "MachineQueueItem",
  v.object({
    order_id: Id,
    order_number: v.nullable(v.string()),
    item_index: v.pipe(Count, v.description("Posição do item no pedido (a partir de 0)")),
    item_id: v.pipe(Id, v.description("Id estável do item")),
    item_name: v.nullable(v.string()),
    dimensions: v.pipe(v.nullable(v.string()), v.description('"LxA", como no item')),
    material: v.nullable(v.string()),
    date_due: v.nullable(v.string()),
    preview_url: v.pipe(v.nullable(v.string()), v.description("URL assinada da imagem do item")),
    status: v.string(),
    priority: v.string(),
  }),
);

/** `GET /maquinas/dashboard/overview`: one entry per active machine. */
export const MachineOverview = named(
  "MachineOverview",
  v.object({
    machine_id: Id,
    machine_name: v.string(),
    total_items: Count,
    total_area: v.pipe(v.number(), v.description("m² da fila (área × peças)")),
    queue: v.array(QueueEntry),
  }),
);

/** A print log (`lib/machines/print-logs.ts` `toWire`). */
export const PrintLog = named(
  "PrintLog",
  v.object({
    id: Id,
    printer_id: v.pipe(Count, v.description("0 = item sem máquina")),
    printer_name: v.string(),
    pedido_id: v.nullable(Id),
    pedido_numero: v.nullable(v.string()),
    cliente: v.nullable(v.string()),
    item_id: v.nullable(Id),
    item_descricao: v.nullable(v.string()),
    item_imagem: v.pipe(v.nullable(v.string()), v.description("URL assinada da imagem do item")),
    item_medidas: v.nullable(v.string()),
    item_material: v.nullable(v.string()),
    status: v.picklist(PRINT_STATUSES),
    error_message: v.nullable(v.string()),
    created_at: v.nullable(Timestamp),
  }),
);

/** `GET /print-logs/stats/{printer_id}`. */
export const PrinterStats = named(
  "PrinterStats",
  v.object({
    printer_id: Count,
    printer_name: v.string(),
    total_prints: Count,
    successful: Count,
    errors: Count,
    reprints: Count,
    success_rate: v.pipe(v.number(), v.description("Em %, duas casas")),
  }),
);
