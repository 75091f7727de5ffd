// GET /automacao/producao/estatisticas: orders, pieces, m² and value per production type (spec §6).
import { defineFunction } from "../../lib/function.ts";
import { automacaoEstatisticas } from "../../lib/reports/index.ts";
import { automacaoQuery } from "../../lib/reports/schemas.ts";
import { AutomacaoEstatisticas } from "../../lib/reports/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/automacao/producao/estatisticas",
  guard: "user",
  summary: "Produção por tipo (pedidos, itens, m², valor), maior área primeiro",
  tags: ["automacao"],
  response: AutomacaoEstatisticas,
  query: automacaoQuery,
  run: (ctx, { query }) => ctx.db.read((q) => automacaoEstatisticas(q, query)),
});
