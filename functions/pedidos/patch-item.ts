// PATCH /pedidos/pedido-itens/:item_id: merges fields into one item (real id or legacy pedido.id*1000+index).
import { defineFunction } from "../../lib/function.ts";
import { badRequest } from "../../lib/errors.ts";
import { findItem, patchItemOf } from "../../lib/orders/index.ts";
import { withStockDeduction } from "../../lib/catalogs/stock.ts";
import { itemIdParams, itemPatchSchema } from "../../lib/orders/schemas.ts";

export default defineFunction({
  method: "PATCH",
  path: "/pedidos/pedido-itens/:item_id",
  guard: "user",
  summary: "Atualiza um item de pedido (totais do pedido recalculados)",
  tags: ["pedidos"],
  params: itemIdParams,
  body: itemPatchSchema,
  run: async (ctx, { params, body }) => {
    // note: images change through the order's create/PATCH (checked, stored, signed); the production-data editor
    // sends back the signed URL it was given, which must not be stored as text over the image reference.
    const { pedido_id, imagem: _imagem, imagem_path: _imagemPath, ...changes } = body;
    let orderId: number | undefined;
    if (pedido_id !== undefined && pedido_id !== null) {
      orderId = typeof pedido_id === "string" && /^\d+$/.test(pedido_id) ? Number(pedido_id) : (pedido_id as number);
      if (!Number.isSafeInteger(orderId)) throw badRequest("pedido_id inválido.");
    }
    const { order, itemId } = await ctx.db.write((tx) => {
      const target = findItem(tx, params.item_id, orderId)?.orderId ?? []; // unknown item: patchItemOf answers 404
      return withStockDeduction(tx, ctx.config.materialStockAutoDeduction, target, () => patchItemOf(tx, params.item_id, changes, ctx.user, orderId));
    });
    return { status: "success", message: "Item atualizado", item: order.items.find((i) => i.id === itemId) };
  },
});
