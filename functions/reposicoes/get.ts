// GET /reposicoes/:id
import { defineFunction } from "../../lib/function.ts";
import { getReposicao } from "../../lib/reposicoes/index.ts";
import { reposicaoParams } from "../../lib/reposicoes/schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/reposicoes/:id",
  guard: "user",
  summary: "Busca uma reposição",
  tags: ["reposicoes"],
  params: reposicaoParams,
  run: (ctx, { params }) => ctx.db.read((q) => getReposicao(q, params.id)),
});
