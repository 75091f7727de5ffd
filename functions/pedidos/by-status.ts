// GET /pedidos/status/:status: every order with that exact status (400 for an unknown one, like the original).
import * as v from "valibot";
import { defineFunction } from "../../lib/function.ts";
import { badRequest } from "../../lib/errors.ts";
import { ordersByStatus } from "../../lib/orders/index.ts";
import { ORDER_STATUSES, type OrderStatus } from "../../lib/orders/status.ts";
import { signOrderImages } from "../../lib/media/wire.ts";

export default defineFunction({
  method: "GET",
  path: "/pedidos/status/:status",
  guard: "user",
  summary: "Lista pedidos por status",
  tags: ["pedidos"],
  params: v.object({ status: v.string() }),
  run: async (ctx, { params }) => {
    if (!(ORDER_STATUSES as readonly string[]).includes(params.status)) throw badRequest(`Status inválido: ${params.status}`);
    return signOrderImages(ctx.media.signer, await ctx.db.read((q) => ordersByStatus(q, params.status as OrderStatus)));
  },
});
