// POST /pedidos/rascunho: saves a draft (no numero until promoted; hidden from the order lists).
import { defineFunction } from "../../lib/function.ts";
import { createOrder } from "../../lib/orders/index.ts";
import { draftSchema } from "../../lib/orders/schemas.ts";
import { writeWithItemImages } from "../../lib/media/item-images.ts";
import { signOrderImages } from "../../lib/media/wire.ts";

export default defineFunction({
  method: "POST",
  path: "/pedidos/rascunho",
  guard: "user",
  summary: "Salva um rascunho de pedido",
  tags: ["pedidos"],
  body: draftSchema,
  run: async (ctx, { body }) => {
    // The web client puts data-URL images in drafts too: same image step as POST /pedidos/.
    const order = await writeWithItemImages(ctx, body.items ?? [], null, (items, afterItems) =>
      ctx.db.write((tx) => createOrder(tx, { ...body, items }, ctx.user, { draft: true, afterItems })),
    );
    return signOrderImages(ctx.media.signer, order);
  },
});
