// GET /pedidos/rascunhos: every draft, most recently edited first.
import { defineFunction } from "../../lib/function.ts";
import { listDrafts } from "../../lib/orders/index.ts";
import { signOrderImages } from "../../lib/media/wire.ts";

export default defineFunction({
  method: "GET",
  path: "/pedidos/rascunhos",
  guard: "user",
  summary: "Lista rascunhos de pedido",
  tags: ["pedidos"],
  run: async (ctx) => signOrderImages(ctx.media.signer, await ctx.db.read((q) => listDrafts(q))),
});
