// PATCH /pedidos/:id: partial update; `items` replaces the list; `financeiro` changes are admin-only.
import { defineFunction } from "../../lib/function.ts";
import { updateOrder } from "../../lib/orders/index.ts";
import { orderIdParams, updateOrderSchema } from "../../lib/orders/schemas.ts";
import { writeWithItemImages } from "../../lib/media/item-images.ts";
import { signOrderImages } from "../../lib/media/wire.ts";
import { withStockDeduction } from "../../lib/catalogs/stock.ts";

export default defineFunction({
  method: "PATCH",
  path: "/pedidos/:id",
  guard: "user",
  summary: "Atualiza um pedido (totais sempre recalculados; financeiro só por administradores)",
  tags: ["pedidos"],
  params: orderIdParams,
  body: updateOrderSchema,
  run: async (ctx, { params, body }) => {
    // (1) item images prepared before the transaction (only when `items` is sent), (2) one synchronous write that
    // links them and deletes the images no item keeps, (3) files finished after COMMIT (removed if it failed).
    const order = await writeWithItemImages(ctx, body.items, params.id, (items, afterItems) =>
      ctx.db.write((tx) =>
        withStockDeduction(tx, ctx.config.materialStockAutoDeduction, params.id, () => updateOrder(tx, params.id, items ? { ...body, items } : body, ctx.user, { afterItems })),
      ),
    );
    return signOrderImages(ctx.media.signer, order);
  },
});
