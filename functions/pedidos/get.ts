// GET /pedidos/:id: one order, items included.
import { defineFunction } from "../../lib/function.ts";
import { notFound } from "../../lib/errors.ts";
import { getOrder } from "../../lib/orders/index.ts";
import { orderIdParams } from "../../lib/orders/schemas.ts";
import { signOrderImages } from "../../lib/media/wire.ts";

export default defineFunction({
  method: "GET",
  path: "/pedidos/:id",
  guard: "user",
  summary: "Busca um pedido",
  tags: ["pedidos"],
  params: orderIdParams,
  run: async (ctx, { params }) => {
    const order = await ctx.db.read((q) => getOrder(q, params.id));
    if (!order) throw notFound("Pedido não encontrado");
    return signOrderImages(ctx.media.signer, order);
  },
});
