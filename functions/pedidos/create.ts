// POST /pedidos/: creates an order (200, like the original). Numbering, pricing and events live in lib/orders.
import { defineFunction } from "../../lib/function.ts";
import { createOrder } from "../../lib/orders/index.ts";
import { createOrderSchema } from "../../lib/orders/schemas.ts";
import { writeWithItemImages } from "../../lib/media/item-images.ts";
import { signOrderImages } from "../../lib/media/wire.ts";
import { withStockDeduction } from "../../lib/catalogs/stock.ts";

export default defineFunction({
  method: "POST",
  path: "/pedidos",
  guard: "user",
  summary: "Cria um pedido (numero gerado, totais calculados a partir dos itens e do frete)",
  tags: ["pedidos"],
  body: createOrderSchema,
  run: async (ctx, { body }) => {
    // (1) item images decoded, checked and written before the transaction (400/413 here: nothing written),
    // (2) one synchronous write that links them, (3) files finished after COMMIT (removed if the write failed).
    const order = await writeWithItemImages(ctx, body.items ?? [], null, (items, afterItems) =>
      ctx.db.write((tx) => withStockDeduction(tx, ctx.config.materialStockAutoDeduction, null, () => createOrder(tx, { ...body, items }, ctx.user, { afterItems }))),
    );
    return signOrderImages(ctx.media.signer, order);
  },
});
