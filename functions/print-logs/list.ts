// GET /print-logs/: print history, newest first (client-contract §1.10).
import * as v from "valibot";
import { defineFunction } from "../../lib/function.ts";
import { listPrintLogs } from "../../lib/machines/print-logs.ts";
import { imageSignerOf } from "../../lib/catalogs/order-items.ts";
import { printLogQuery } from "../../lib/machines/print-log-schemas.ts";
import { PrintLog } from "../../lib/machines/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/print-logs",
  guard: "user",
  summary: "Lista registros de impressão (filtros: status_filter, data_inicio, data_fim)",
  tags: ["print-logs"],
  response: v.array(PrintLog),
  query: printLogQuery,
  run: (ctx, { query }) => ctx.db.read((q) => listPrintLogs(q, query, imageSignerOf(ctx.media))),
});
