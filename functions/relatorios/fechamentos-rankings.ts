// GET /relatorios/fechamentos/rankings/{vendedor|designer|cliente|tipo_producao} (spec §2); another category: 400.
import { defineFunction } from "../../lib/function.ts";
import { fechamentosRankings } from "../../lib/reports/index.ts";
import { categoryParams, rankingsQuery } from "../../lib/reports/schemas.ts";
import { FechamentosRankings } from "../../lib/reports/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/relatorios/fechamentos/rankings/:category",
  guard: "user",
  summary: "Ranking de fechamento por vendedor, designer, cliente ou tipo_producao",
  tags: ["relatorios"],
  response: FechamentosRankings,
  params: categoryParams,
  query: rankingsQuery,
  run: (ctx, { params, query }) => ctx.db.read((q) => fechamentosRankings(q, params.category, query)),
});
