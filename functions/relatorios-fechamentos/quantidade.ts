// GET /relatorios-fechamentos/pedidos/quantidade: how many orders match (spec §1).
import { defineFunction } from "../../lib/function.ts";
import { quantidade } from "../../lib/reports/index.ts";
import { quantidadeQuery } from "../../lib/reports/schemas.ts";
import { Quantidade } from "../../lib/reports/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/relatorios-fechamentos/pedidos/quantidade",
  guard: "user",
  summary: "Quantidade de pedidos (datas, date_mode, status, cliente)",
  tags: ["relatorios"],
  response: Quantidade,
  query: quantidadeQuery,
  run: (ctx, { query }) => ctx.db.read((q) => quantidade(q, query)),
});
