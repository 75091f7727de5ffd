// GET /automacao/pedidos/metragem: m² and value per order, for the shop's automation scripts (spec §6).
import { defineFunction } from "../../lib/function.ts";
import { automacaoMetragem } from "../../lib/reports/index.ts";
import { automacaoQuery } from "../../lib/reports/schemas.ts";
import { AutomacaoMetragem } from "../../lib/reports/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/automacao/pedidos/metragem",
  guard: "user",
  summary: "Metragem (m²) e valor por pedido (datas, date_mode, status, cliente)",
  tags: ["automacao"],
  response: AutomacaoMetragem,
  query: automacaoQuery,
  run: (ctx, { query }) => ctx.db.read((q) => automacaoMetragem(q, query)),
});
