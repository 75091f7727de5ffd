// GET /relatorios-fechamentos/pedidos/tendencia: orders and money per day, week or month (spec §1).
import { defineFunction } from "../../lib/function.ts";
import { tendencia } from "../../lib/reports/index.ts";
import { tendenciaQuery } from "../../lib/reports/schemas.ts";
import { Tendencia } from "../../lib/reports/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/relatorios-fechamentos/pedidos/tendencia",
  guard: "user",
  summary: "Tendência de pedidos por período (group_by day|week|month)",
  tags: ["relatorios"],
  response: Tendencia,
  query: tendenciaQuery,
  run: (ctx, { query }) => ctx.db.read((q) => tendencia(q, query)),
});
