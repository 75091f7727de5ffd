// GET /materiais/stats: KPIs and rankings of material and finishing use (spec §3.10; client §1.6).
import { defineFunction } from "../../lib/function.ts";
import { materialStats } from "../../lib/catalogs/stats.ts";
import { statsQuery } from "../../lib/catalogs/stats-query.ts";
import { MaterialStats } from "../../lib/catalogs/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/materiais/stats",
  guard: "user",
  summary: "Estatísticas de uso de materiais e acabamentos",
  tags: ["materiais"],
  response: MaterialStats,
  query: statsQuery,
  run: (ctx, { query }) => ctx.db.read((q) => materialStats(q, query)),
});
