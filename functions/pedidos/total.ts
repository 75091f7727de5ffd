// GET /pedidos/total: the list's filters, counted.
import { defineFunction } from "../../lib/function.ts";
import { clientFilterOf, countOrders } from "../../lib/orders/index.ts";
import { totalQuerySchema } from "../../lib/orders/schemas.ts";
import { PedidoTotal } from "../../lib/orders/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/pedidos/total",
  guard: "user",
  summary: "Conta pedidos com os mesmos filtros da lista",
  tags: ["pedidos"],
  query: totalQuerySchema,
  response: PedidoTotal,
  errors: [400],
  run: async (ctx, { query }) => ({ total: await ctx.db.read((q) => countOrders(q, clientFilterOf(query))) }),
});
