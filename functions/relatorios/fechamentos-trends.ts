// GET /relatorios/fechamentos/trends: orders and money per day, week or month (spec §2).
import { defineFunction } from "../../lib/function.ts";
import { fechamentosTrends } from "../../lib/reports/index.ts";
import { trendsQuery } from "../../lib/reports/schemas.ts";
import { FechamentosTrends } from "../../lib/reports/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/relatorios/fechamentos/trends",
  guard: "user",
  summary: "Tendências de fechamento (group_by day|week|month)",
  tags: ["relatorios"],
  response: FechamentosTrends,
  query: trendsQuery,
  run: (ctx, { query }) => ctx.db.read((q) => fechamentosTrends(q, query)),
});
