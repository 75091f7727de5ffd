// GET /relatorios-fechamentos/pedidos/relatorio: the grouped closing report, 15 report types (spec §1).
// Exact to the cent: rows add up to their subtotals, subtotals to the total, the total to the orders' valor_total.
import { defineFunction } from "../../lib/function.ts";
import { relatorio } from "../../lib/reports/index.ts";
import { relatorioQuery } from "../../lib/reports/schemas.ts";
import { Relatorio } from "../../lib/reports/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/relatorios-fechamentos/pedidos/relatorio",
  guard: "user",
  summary: "Relatório de fechamento agrupado (report_type, start_date, end_date, status, frete_distribution)",
  tags: ["relatorios"],
  response: Relatorio,
  query: relatorioQuery,
  run: (ctx, { query }) => ctx.db.read((q) => relatorio(q, query, ctx.config.timeZone)),
});
