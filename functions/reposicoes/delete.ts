// DELETE /reposicoes/:id (admin, like every delete); emits order_updated on its order.
import { defineFunction } from "../../lib/function.ts";
import { deleteReposicao } from "../../lib/reposicoes/index.ts";
import { reposicaoParams } from "../../lib/reposicoes/schemas.ts";
import { MessageResponse } from "../../lib/wire-schemas.ts";

export default defineFunction({
  method: "DELETE",
  path: "/reposicoes/:id",
  guard: "admin",
  summary: "Exclui uma reposição (administradores)",
  tags: ["reposicoes"],
  response: MessageResponse,
  params: reposicaoParams,
  run: (ctx, { params }) => ctx.db.write((tx) => deleteReposicao(tx, params.id, ctx.user)),
});
