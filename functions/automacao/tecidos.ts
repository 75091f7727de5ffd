// GET /automacao/producao/tecidos: orders, pieces and m² per fabric (spec §6).
import { defineFunction } from "../../lib/function.ts";
import { automacaoTecidos } from "../../lib/reports/index.ts";
import { automacaoQuery } from "../../lib/reports/schemas.ts";
import { AutomacaoTecidos } from "../../lib/reports/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/automacao/producao/tecidos",
  guard: "user",
  summary: "Produção por tecido (pedidos, itens, m²), maior área primeiro",
  tags: ["automacao"],
  response: AutomacaoTecidos,
  query: automacaoQuery,
  run: (ctx, { query }) => ctx.db.read((q) => automacaoTecidos(q, query)),
});
