// GET /pedidos/: filtered list; no `limit` returns every order. Ordering depends on the caller's role.
// The ids are selected and sorted first; the orders' stored wire JSON is then streamed out in chunks (never
// parsed, never all in memory), so 10,000 orders answer well under the client's 10 s and nobody else waits.
// An unchanged list is answered from the runtime's bounded response memo.
import { defineFunction } from "../../lib/function.ts";
import { JsonStream } from "../../lib/body.ts";
import { clientFilterOf, listMemoKey, listOrderIds, orderListStream, responseSigner } from "../../lib/orders/index.ts";
import { listQuerySchema } from "../../lib/orders/schemas.ts";
import { PedidoList } from "../../lib/orders/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/pedidos",
  guard: "user",
  summary: "Lista pedidos (filtros: status, cliente sem acentos, datas com date_mode, is_pronto, tipo_producao)",
  tags: ["pedidos"],
  query: listQuerySchema,
  response: PedidoList,
  errors: [400],
  run: async (ctx, { query }) => {
    // The client's reading of its filters (dates without a mode, the Prontos tab): lib/orders/read.ts.
    const filter = clientFilterOf(query);
    // The same list, unchanged since it was last sent (the client's 30 s poll, mostly), is sent from memory.
    const memoKey = await ctx.db.read((q) => listMemoKey(q, "pedidos", filter, ctx.user, ctx.media.signer));
    const ids = () => ctx.db.read((q) => listOrderIds(q, filter, ctx.user));
    return new JsonStream(orderListStream(ctx.db, ids, responseSigner(ctx.media.signer)), 200, memoKey);
  },
});
