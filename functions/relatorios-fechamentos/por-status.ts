// GET /relatorios-fechamentos/pedidos/por-status: orders per status, the largest count first (spec §1).
import { defineFunction } from "../../lib/function.ts";
import { porStatus } from "../../lib/reports/index.ts";
import { porStatusQuery } from "../../lib/reports/schemas.ts";
import { PorStatus } from "../../lib/reports/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/relatorios-fechamentos/pedidos/por-status",
  guard: "user",
  summary: "Pedidos por status (datas, date_mode, cliente)",
  tags: ["relatorios"],
  response: PorStatus,
  query: porStatusQuery,
  run: (ctx, { query }) => ctx.db.read((q) => porStatus(q, query)),
});
