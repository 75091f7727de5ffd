// GET /relatorios-fechamentos/pedidos/por-cliente: ranking by cliente, the largest revenue first (spec §1).
import { defineFunction } from "../../lib/function.ts";
import { porCategoria } from "../../lib/reports/index.ts";
import { rankingQuery } from "../../lib/reports/schemas.ts";
import { PorCategoria } from "../../lib/reports/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/relatorios-fechamentos/pedidos/por-cliente",
  guard: "user",
  summary: "Ranking por cliente (pedidos, itens, receita; limit 1..50)",
  tags: ["relatorios"],
  response: PorCategoria,
  query: rankingQuery,
  run: (ctx, { query }) => ctx.db.read((q) => porCategoria(q, query, "cliente")),
});
