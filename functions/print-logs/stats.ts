// GET /print-logs/stats/:printer_id: counts per status and success rate of one machine.
import { defineFunction } from "../../lib/function.ts";
import { printerStats } from "../../lib/machines/print-logs.ts";
import { printerParams } from "../../lib/machines/print-log-schemas.ts";
import { PrinterStats } from "../../lib/machines/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/print-logs/stats/:printer_id",
  guard: "user",
  summary: "Estatísticas de impressão de uma máquina",
  tags: ["print-logs"],
  response: PrinterStats,
  params: printerParams,
  run: (ctx, { params }) => ctx.db.read((q) => printerStats(q, params.printer_id)),
});
