// GET /reposicoes/?order_id&status: newest first.
import * as v from "valibot";
import { defineFunction } from "../../lib/function.ts";
import { listReposicoes } from "../../lib/reposicoes/index.ts";
import { reposicaoListQuery } from "../../lib/reposicoes/schemas.ts";
import { Reposicao } from "../../lib/reposicoes/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/reposicoes",
  guard: "user",
  summary: "Lista reposições (filtros: order_id, status)",
  tags: ["reposicoes"],
  response: v.array(Reposicao),
  errors: [400],
  query: reposicaoListQuery,
  run: (ctx, { query }) => ctx.db.read((q) => listReposicoes(q, query)),
});
