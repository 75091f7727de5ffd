// POST /pedidos/rascunho: saves a draft (no numero until promoted; hidden from the order lists).
import { defineFunction } from "../../lib/function.ts";
import { createDraft, responseSigner, writtenOrderBody } from "../../lib/orders/index.ts";
import { draftSchema } from "../../lib/orders/schemas.ts";
import { PedidoResponse } from "../../lib/orders/wire-schemas.ts";

export default defineFunction({
  method: "POST",
  path: "/pedidos/rascunho",
  guard: "user",
  summary: "Salva um rascunho de pedido",
  tags: ["pedidos"],
  body: draftSchema,
  response: PedidoResponse,
  errors: [400, 403, 503, 507],
  run: async (ctx, { body }) => writtenOrderBody(await createDraft(ctx, body, ctx.user), responseSigner(ctx.media.signer)),
});
