// POST /reposicoes/ (201): a reprint of an order; emits order_updated on that order in the same transaction.
import { defineFunction } from "../../lib/function.ts";
import { createReposicao } from "../../lib/reposicoes/index.ts";
import { localDate } from "../../lib/time.ts";
import { reposicaoCreate } from "../../lib/reposicoes/schemas.ts";
import { Reposicao } from "../../lib/reposicoes/wire-schemas.ts";

export default defineFunction({
  method: "POST",
  path: "/reposicoes",
  guard: "user",
  summary: "Cria uma reposição de um pedido",
  tags: ["reposicoes"],
  status: 201,
  response: Reposicao,
  // 404: no such order; 400: an unknown status or priority (the original's messages).
  errors: [400, 404],
  body: reposicaoCreate,
  run: (ctx, { body }) => ctx.db.write((tx) => createReposicao(tx, body, ctx.user, localDate(ctx.config.timeZone))),
});
