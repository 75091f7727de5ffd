// DELETE /pedidos/:id (admin): hard delete; items, images, print logs and replacements go with it.
import { defineFunction } from "../../lib/function.ts";
import { deleteOrder } from "../../lib/orders/index.ts";
import { orderIdParams } from "../../lib/orders/schemas.ts";
import { imageFilesOfOrder } from "../../lib/media/item-images.ts";
import { removeMediaFiles } from "../../lib/media/files.ts";
import { withStockDeduction } from "../../lib/catalogs/stock.ts";

export default defineFunction({
  method: "DELETE",
  path: "/pedidos/:id",
  guard: "admin",
  summary: "Exclui um pedido (administradores)",
  tags: ["pedidos"],
  params: orderIdParams,
  run: async (ctx, { params }) => {
    const files = await ctx.db.write((tx) => {
      const paths = imageFilesOfOrder(tx, params.id); // the image rows go by cascade; their files after COMMIT
      withStockDeduction(tx, ctx.config.materialStockAutoDeduction, params.id, () => deleteOrder(tx, params.id, ctx.user));
      return paths;
    });
    await removeMediaFiles(ctx.media, files, ctx.log);
    return { message: "Pedido deletado com sucesso" };
  },
});
