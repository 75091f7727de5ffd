// GET /pedidos/:id/json: the order as JSON, from the database (decisions §12: no snapshot files).
import { defineFunction } from "../../lib/function.ts";
import { notFound } from "../../lib/errors.ts";
import { getOrder } from "../../lib/orders/index.ts";
import { orderIdParams } from "../../lib/orders/schemas.ts";
import { signOrderImages } from "../../lib/media/wire.ts";

export default defineFunction({
  method: "GET",
  path: "/pedidos/:id/json",
  guard: "user",
  summary: "JSON atual do pedido (lido do banco)",
  tags: ["pedidos"],
  params: orderIdParams,
  run: async (ctx, { params }) => {
    const order = await ctx.db.read((q) => getOrder(q, params.id));
    if (!order) throw notFound(`JSON do pedido ${params.id} não encontrado`);
    return signOrderImages(ctx.media.signer, order);
  },
});
