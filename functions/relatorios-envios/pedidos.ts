// GET /relatorios-envios/pedidos: the order list by delivery date, newest first, in the shape of GET /pedidos/ (spec §3).
import { defineFunction } from "../../lib/function.ts";
import { JsonStream } from "../../lib/body.ts";
import { listMemoKey, listOrderIds, orderListStream, responseSigner } from "../../lib/orders/index.ts";
import { enviosFilter } from "../../lib/reports/index.ts";
import { enviosQuery } from "../../lib/reports/schemas.ts";
import { PedidoList } from "../../lib/reports/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/relatorios-envios/pedidos",
  guard: "user",
  summary: "Relatório de envios: pedidos por data de entrega (skip, limit, status, cliente, data_inicio, data_fim)",
  tags: ["relatorios"],
  response: PedidoList,
  query: enviosQuery,
  run: async (ctx, { query }) => {
    const filter = enviosFilter(query); // 400 naming a bad parameter, before anything is read
    // Streamed like GET /pedidos/ (the same reader and response memo); reports are for everyone, in one ordering.
    const memoKey = await ctx.db.read((q) => listMemoKey(q, "relatorios-envios", filter, null, ctx.media.signer));
    const ids = () => ctx.db.read((q) => listOrderIds(q, filter, null));
    return new JsonStream(orderListStream(ctx.db, ids, responseSigner(ctx.media.signer)), 200, memoKey);
  },
});
