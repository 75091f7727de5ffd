// GET /pedidos/summary: dashboard figures (counts, overdue, efficiency, shipping methods, recent/urgent orders).
import { defineFunction } from "../../lib/function.ts";
import { orderSummary } from "../../lib/orders/summary.ts";
import { PedidoSummary } from "../../lib/orders/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/pedidos/summary",
  guard: "user",
  summary: "Resumo para o painel (contagens, atrasos, eficiência, formas de envio)",
  tags: ["pedidos"],
  response: PedidoSummary,
  run: (ctx) => ctx.db.read((q) => orderSummary(q, ctx.config.timeZone)),
});
