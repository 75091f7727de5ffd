// GET /relatorios-fechamentos/pedidos/relatorio-semanal: the orders of a period in the shape of GET /pedidos/.
// The client's Fechamentos screen builds its closing report from this list (every status, items included).
import { defineFunction } from "../../lib/function.ts";
import { JsonStream } from "../../lib/body.ts";
import { listMemoKey, listOrderIds, orderListStream, responseSigner } from "../../lib/orders/index.ts";
import { relatorioSemanalFilter } from "../../lib/reports/index.ts";
import { semanalQuery } from "../../lib/reports/schemas.ts";
import { PedidoList } from "../../lib/reports/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/relatorios-fechamentos/pedidos/relatorio-semanal",
  guard: "user",
  summary: "Pedidos do período para o fechamento (start_date, end_date, date_mode, cliente)",
  tags: ["relatorios"],
  response: PedidoList,
  query: semanalQuery,
  run: async (ctx, { query }) => {
    const filter = relatorioSemanalFilter(query); // 400 naming a bad parameter, before anything is read
    // Streamed like GET /pedidos/ (the same reader and response memo); reports are for everyone, in one ordering.
    const memoKey = await ctx.db.read((q) => listMemoKey(q, "relatorio-semanal", filter, null, ctx.media.signer));
    const ids = () => ctx.db.read((q) => listOrderIds(q, filter, null));
    return new JsonStream(orderListStream(ctx.db, ids, responseSigner(ctx.media.signer)), 200, memoKey);
  },
});
