// PATCH /pedidos/:id: partial update; `items` replaces the list; `financeiro` changes are admin-only.
import { defineFunction } from "../../lib/function.ts";
import { updateOrder, responseSigner, writtenOrderBody } from "../../lib/orders/index.ts";
import { orderIdParams, updateOrderSchema } from "../../lib/orders/schemas.ts";
import { PedidoResponse } from "../../lib/orders/wire-schemas.ts";

export default defineFunction({
  method: "PATCH",
  path: "/pedidos/:id",
  guard: "user",
  summary: "Atualiza um pedido (totais sempre recalculados; financeiro só por administradores)",
  tags: ["pedidos"],
  params: orderIdParams,
  body: updateOrderSchema,
  response: PedidoResponse,
  errors: [400, 403, 409, 503, 507],
  run: async (ctx, { params, body }) =>
    writtenOrderBody(await updateOrder(ctx, params.id, body, ctx.user), responseSigner(ctx.media.signer)),
});
