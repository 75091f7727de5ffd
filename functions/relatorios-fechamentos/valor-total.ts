// GET /relatorios-fechamentos/pedidos/valor-total: orders and their total value (spec §1).
import { defineFunction } from "../../lib/function.ts";
import { valorTotal } from "../../lib/reports/index.ts";
import { valorTotalQuery } from "../../lib/reports/schemas.ts";
import { ValorTotal } from "../../lib/reports/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/relatorios-fechamentos/pedidos/valor-total",
  guard: "user",
  summary: "Valor total dos pedidos (datas, status, cliente, vendedor, designer)",
  tags: ["relatorios"],
  response: ValorTotal,
  query: valorTotalQuery,
  run: (ctx, { query }) => ctx.db.read((q) => valorTotal(q, query)),
});
