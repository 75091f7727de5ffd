// PATCH /reposicoes/:id: the fields sent; emits order_updated on its order (and on the one it left, if moved).
import { defineFunction } from "../../lib/function.ts";
import { updateReposicao } from "../../lib/reposicoes/index.ts";
import { reposicaoParams, reposicaoUpdate } from "../../lib/reposicoes/schemas.ts";
import { Reposicao } from "../../lib/reposicoes/wire-schemas.ts";

export default defineFunction({
  method: "PATCH",
  path: "/reposicoes/:id",
  guard: "user",
  summary: "Atualiza uma reposição",
  tags: ["reposicoes"],
  response: Reposicao,
  errors: [400],
  params: reposicaoParams,
  body: reposicaoUpdate,
  run: (ctx, { params, body }) => ctx.db.write((tx) => updateReposicao(tx, params.id, body, ctx.user)),
});
