// POST /print-logs/: records a print (201). item_id null: a new row every time (the history); with an item_id, that
// (order, item) row is updated or created.
import { defineFunction } from "../../lib/function.ts";
import { recordPrint } from "../../lib/machines/print-logs.ts";
import { imageSignerOf } from "../../lib/catalogs/order-items.ts";
import { newPrintLog } from "../../lib/machines/print-log-schemas.ts";
import { PrintLog } from "../../lib/machines/wire-schemas.ts";

export default defineFunction({
  method: "POST",
  path: "/print-logs",
  guard: "user",
  summary: "Registra uma impressão (printer_id 0 = item sem máquina)",
  tags: ["print-logs"],
  response: PrintLog,
  // 404: the printer, the order or the item does not exist.
  errors: [404],
  status: 201,
  body: newPrintLog,
  run: (ctx, { body }) =>
    ctx.db.write((tx) => recordPrint(tx, body, { id: ctx.user.id, username: ctx.user.username }, imageSignerOf(ctx.media))),
});
