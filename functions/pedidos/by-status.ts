// GET /pedidos/status/:status: every order with that exact status (400 for an unknown one, like the original),
// streamed from the stored wire JSON like the list.
import * as v from "valibot";
import { defineFunction } from "../../lib/function.ts";
import { JsonStream } from "../../lib/body.ts";
import { badRequest } from "../../lib/errors.ts";
import { orderIdsByStatus, orderListStream, responseSigner } from "../../lib/orders/index.ts";
import { ORDER_STATUSES, type OrderStatus } from "../../lib/orders/status.ts";
import { PedidoList } from "../../lib/orders/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/pedidos/status/:status",
  guard: "user",
  summary: "Lista pedidos por status",
  tags: ["pedidos"],
  params: v.object({ status: v.string() }),
  response: PedidoList,
  errors: [400],
  run: async (ctx, { params }) => {
    if (!(ORDER_STATUSES as readonly string[]).includes(params.status)) throw badRequest(`Status inválido: ${params.status}`);
    const ids = await ctx.db.read((q) => orderIdsByStatus(q, params.status as OrderStatus));
    return new JsonStream(orderListStream(ctx.db, ids, responseSigner(ctx.media.signer)));
  },
});
