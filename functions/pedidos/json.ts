// GET /pedidos/:id/json: the order as JSON, from the database (decisions §12: no snapshot files).
import { defineFunction } from "../../lib/function.ts";
import { notFound } from "../../lib/errors.ts";
import { orderBody, responseSigner } from "../../lib/orders/index.ts";
import { orderIdParams } from "../../lib/orders/schemas.ts";
import { PedidoResponse } from "../../lib/orders/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/pedidos/:id/json",
  guard: "user",
  summary: "JSON atual do pedido (lido do banco)",
  tags: ["pedidos"],
  params: orderIdParams,
  response: PedidoResponse,
  run: async (ctx, { params }) => {
    const body = await ctx.db.read((q) => orderBody(q, params.id, responseSigner(ctx.media.signer)));
    if (!body) throw notFound(`JSON do pedido ${params.id} não encontrado`);
    return body;
  },
});
