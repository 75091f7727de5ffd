// DELETE /pedidos/:id (admin): hard delete; items, images, print logs and replacements go with it.
import { defineFunction } from "../../lib/function.ts";
import { deleteOrder } from "../../lib/orders/index.ts";
import { orderIdParams } from "../../lib/orders/schemas.ts";
import { MessageResponse } from "../../lib/wire-schemas.ts";

export default defineFunction({
  method: "DELETE",
  path: "/pedidos/:id",
  guard: "admin",
  summary: "Exclui um pedido (administradores)",
  tags: ["pedidos"],
  params: orderIdParams,
  response: MessageResponse,
  run: (ctx, { params }) => deleteOrder(ctx, params.id, ctx.user),
});
