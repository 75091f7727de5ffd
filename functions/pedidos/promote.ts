// POST /pedidos/:id/promover: a draft becomes a real order (numbered now; order_created emitted).
import { defineFunction } from "../../lib/function.ts";
import { promoteDraft } from "../../lib/orders/index.ts";
import { orderIdParams } from "../../lib/orders/schemas.ts";
import { signOrderImages } from "../../lib/media/wire.ts";
import { withStockDeduction } from "../../lib/catalogs/stock.ts";

export default defineFunction({
  method: "POST",
  path: "/pedidos/:id/promover",
  guard: "user",
  summary: "Promove um rascunho a pedido",
  tags: ["pedidos"],
  params: orderIdParams,
  run: async (ctx, { params }) => signOrderImages(ctx.media.signer, await ctx.db.write((tx) => withStockDeduction(tx, ctx.config.materialStockAutoDeduction, params.id, () => promoteDraft(tx, params.id, ctx.user)))),
});
