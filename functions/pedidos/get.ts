// GET /pedidos/:id: one order, items included, from its stored wire JSON (images signed on the way out).
import { defineFunction } from "../../lib/function.ts";
import { notFound } from "../../lib/errors.ts";
import { orderBody, responseSigner } from "../../lib/orders/index.ts";
import { orderIdParams } from "../../lib/orders/schemas.ts";
import { PedidoResponse } from "../../lib/orders/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/pedidos/:id",
  guard: "user",
  summary: "Busca um pedido",
  tags: ["pedidos"],
  params: orderIdParams,
  response: PedidoResponse,
  run: async (ctx, { params }) => {
    const body = await ctx.db.read((q) => orderBody(q, params.id, responseSigner(ctx.media.signer)));
    if (!body) throw notFound("Pedido não encontrado");
    return body;
  },
});
