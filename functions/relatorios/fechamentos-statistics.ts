// GET /relatorios/fechamentos/statistics: totals of a period (date_mode by delivery date by default; spec §2).
import { defineFunction } from "../../lib/function.ts";
import { fechamentosStatistics } from "../../lib/reports/index.ts";
import { statisticsQuery } from "../../lib/reports/schemas.ts";
import { FechamentosStatistics } from "../../lib/reports/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/relatorios/fechamentos/statistics",
  guard: "user",
  summary: "Estatísticas de fechamento (pedidos, itens, receita, frete, serviço, ticket médio)",
  tags: ["relatorios"],
  response: FechamentosStatistics,
  query: statisticsQuery,
  run: (ctx, { query }) => ctx.db.read((q) => fechamentosStatistics(q, query)),
});
