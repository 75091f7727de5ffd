// GET /print-logs/printers/:printer_id: print history of one machine.
import * as v from "valibot";
import { defineFunction } from "../../lib/function.ts";
import { listPrintLogs } from "../../lib/machines/print-logs.ts";
import { imageSignerOf } from "../../lib/catalogs/order-items.ts";
import { printerParams, printLogQuery } from "../../lib/machines/print-log-schemas.ts";
import { PrintLog } from "../../lib/machines/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/print-logs/printers/:printer_id",
  guard: "user",
  summary: "Registros de impressão de uma máquina",
  tags: ["print-logs"],
  response: v.array(PrintLog),
  params: printerParams,
  query: printLogQuery,
  run: (ctx, { params, query }) => ctx.db.read((q) => listPrintLogs(q, query, imageSignerOf(ctx.media), params.printer_id)),
});
