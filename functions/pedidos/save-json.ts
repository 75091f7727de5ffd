// POST /pedidos/save-json/:id: kept for the client; nothing is stored, since /pedidos/{id}/json is read from the
// database (decisions §12), which always holds the current order.
import * as v from "valibot";
import { defineFunction } from "../../lib/function.ts";
import { notFound } from "../../lib/errors.ts";
import { orderExists } from "../../lib/orders/index.ts";
import { orderIdParams } from "../../lib/orders/schemas.ts";
import { SaveJsonResponse } from "../../lib/orders/wire-schemas.ts";

export default defineFunction({
  method: "POST",
  path: "/pedidos/save-json/:id",
  guard: "user",
  summary: "Compatibilidade: o JSON do pedido já é o do banco (nada é gravado)",
  tags: ["pedidos"],
  params: orderIdParams,
  body: v.optional(v.nullable(v.record(v.string(), v.unknown()))),
  response: SaveJsonResponse,
  run: async (ctx, { params }) => {
    if (!(await ctx.db.read((q) => orderExists(q, params.id)))) throw notFound("Pedido não encontrado");
    return { message: "JSON salvo com sucesso", pedido_id: params.id };
  },
});
