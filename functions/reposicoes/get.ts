// GET /reposicoes/:id
import { defineFunction } from "../../lib/function.ts";
import { getReposicao } from "../../lib/reposicoes/index.ts";
import { reposicaoParams } from "../../lib/reposicoes/schemas.ts";
import { Reposicao } from "../../lib/reposicoes/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/reposicoes/:id",
  guard: "user",
  summary: "Busca uma reposição",
  tags: ["reposicoes"],
  response: Reposicao,
  params: reposicaoParams,
  run: (ctx, { params }) => ctx.db.read((q) => getReposicao(q, params.id)),
});
