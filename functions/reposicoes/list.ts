// GET /reposicoes/?order_id&status: newest first.
import { defineFunction } from "../../lib/function.ts";
import { listReposicoes } from "../../lib/reposicoes/index.ts";
import { reposicaoListQuery } from "../../lib/reposicoes/schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/reposicoes",
  guard: "user",
  summary: "Lista reposições (filtros: order_id, status)",
  tags: ["reposicoes"],
  query: reposicaoListQuery,
  run: (ctx, { query }) => ctx.db.read((q) => listReposicoes(q, query)),
});
