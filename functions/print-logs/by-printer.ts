// GET /print-logs/printers/:printer_id: print history of one machine.
import { defineFunction } from "../../lib/function.ts";
import { listPrintLogs } from "../../lib/machines/print-logs.ts";
import { imageSignerOf } from "../../lib/catalogs/order-items.ts";
import { printerParams, printLogQuery } from "../../lib/machines/print-log-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/print-logs/printers/:printer_id",
  guard: "user",
  summary: "Registros de impressão de uma máquina",
  tags: ["print-logs"],
  params: printerParams,
  query: printLogQuery,
  run: (ctx, { params, query }) => ctx.db.read((q) => listPrintLogs(q, query, imageSignerOf(ctx.media), params.printer_id)),
});
