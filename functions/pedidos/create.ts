// POST /pedidos/: creates an order (200, like the original). Numbering, pricing, images and events live in lib/orders.
import { defineFunction } from "../../lib/function.ts";
import { createOrder, responseSigner, writtenOrderBody } from "../../lib/orders/index.ts";
import { createOrderSchema } from "../../lib/orders/schemas.ts";
import { PedidoResponse } from "../../lib/orders/wire-schemas.ts";

export default defineFunction({
  method: "POST",
  path: "/pedidos",
  guard: "user",
  summary: "Cria um pedido (numero gerado, totais calculados a partir dos itens e do frete)",
  tags: ["pedidos"],
  body: createOrderSchema,
  response: PedidoResponse,
  errors: [400, 403, 409, 503, 507],
  run: async (ctx, { body }) => writtenOrderBody(await createOrder(ctx, body, ctx.user), responseSigner(ctx.media.signer)),
});
