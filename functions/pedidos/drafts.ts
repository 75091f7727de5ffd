// GET /pedidos/rascunhos: every draft, most recently edited first (streamed from the stored wire JSON).
import { defineFunction } from "../../lib/function.ts";
import { JsonStream } from "../../lib/body.ts";
import { draftIds, orderListStream, responseSigner } from "../../lib/orders/index.ts";
import { PedidoList } from "../../lib/orders/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/pedidos/rascunhos",
  guard: "user",
  summary: "Lista rascunhos de pedido",
  tags: ["pedidos"],
  response: PedidoList,
  run: async (ctx) => new JsonStream(orderListStream(ctx.db, await ctx.db.read((q) => draftIds(q)), responseSigner(ctx.media.signer))),
});
