// POST /pedidos/:id/promover: a draft becomes a real order (numbered now; order_created emitted).
import { defineFunction } from "../../lib/function.ts";
import { promoteDraft, responseSigner, writtenOrderBody } from "../../lib/orders/index.ts";
import { orderIdParams } from "../../lib/orders/schemas.ts";
import { PedidoResponse } from "../../lib/orders/wire-schemas.ts";

export default defineFunction({
  method: "POST",
  path: "/pedidos/:id/promover",
  guard: "user",
  summary: "Promove um rascunho a pedido",
  tags: ["pedidos"],
  params: orderIdParams,
  response: PedidoResponse,
  errors: [400, 409],
  run: async (ctx, { params }) => writtenOrderBody(await promoteDraft(ctx, params.id, ctx.user), responseSigner(ctx.media.signer)),
});
