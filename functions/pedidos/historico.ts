// GET /pedidos/:id/historico: who changed what in an order, one entry per write, computed from the event log.
import { defineFunction } from "../../lib/function.ts";
import { orderHistory } from "../../lib/history/index.ts";
import { historyQuery } from "../../lib/history/schemas.ts";
import { orderIdParams } from "../../lib/orders/schemas.ts";
import { HistoryPageResponse } from "../../lib/history/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/pedidos/:id/historico",
  guard: "user",
  summary: "Histórico do pedido (uma entrada por alteração; paginado por limit e before)",
  tags: ["pedidos"],
  params: orderIdParams,
  query: historyQuery,
  response: HistoryPageResponse,
  // After the fixed /pedidos/<word>/... routes (media, imagens, status), which must never be taken for an id.
  order: 1,
  run: (ctx, { params, query }) => ctx.db.read((q) => orderHistory(q, params.id, query, ctx.user)),
});
