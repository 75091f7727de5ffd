// GET /materiais/estatisticas/uso: how many items use each material, matched to the catalog (spec §3.10).
import { defineFunction } from "../../lib/function.ts";
import { materialUsage } from "../../lib/catalogs/stats.ts";
import { usageQuery } from "../../lib/catalogs/stats-query.ts";
import { MaterialUsage } from "../../lib/catalogs/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/materiais/estatisticas/uso",
  guard: "user",
  summary: "Ranking de uso dos materiais cadastrados",
  tags: ["materiais"],
  response: MaterialUsage,
  query: usageQuery,
  run: (ctx, { query }) => ctx.db.read((q) => materialUsage(q, query)),
});
