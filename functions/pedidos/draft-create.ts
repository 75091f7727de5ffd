// POST /pedidos/rascunho: saves a draft (no numero until promoted; hidden from the order lists).
import { defineFunction } from "../../lib/function.ts";
import { createDraft, responseSigner, writtenOrderBody } from "../../lib/orders/index.ts";
import { draftSchema } from "../../lib/orders/schemas.ts";

export default defineFunction({
  method: "POST",
  path: "/pedidos/rascunho",
  guard: "user",
  summary: "Salva um rascunho de pedido",
  tags: ["pedidos"],
  body: draftSchema,
  run: async (ctx, { body }) => writtenOrderBody(await createDraft(ctx, body, ctx.user), responseSigner(ctx.media.signer)),
});
