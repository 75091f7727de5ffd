// GET /materiais/stats/evolucao: m² per entry date with the three most used materials (spec §3.10).
import { defineFunction } from "../../lib/function.ts";
import { materialEvolution } from "../../lib/catalogs/stats.ts";
import { statsQuery } from "../../lib/catalogs/stats-query.ts";
import { MaterialEvolution } from "../../lib/catalogs/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/materiais/stats/evolucao",
  guard: "user",
  summary: "Evolução diária do uso de materiais (m²)",
  tags: ["materiais"],
  response: MaterialEvolution,
  query: statsQuery,
  run: (ctx, { query }) => ctx.db.read((q) => materialEvolution(q, query)),
});
