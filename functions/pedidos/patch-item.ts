// PATCH /pedidos/pedido-itens/:item_id: merges fields into one item (real id or legacy pedido.id*1000+index).
import { defineFunction } from "../../lib/function.ts";
import { patchOrderItem } from "../../lib/orders/index.ts";
import { itemIdParams, itemPatchSchema } from "../../lib/orders/schemas.ts";
import { ItemPatchResponse } from "../../lib/orders/wire-schemas.ts";

export default defineFunction({
  method: "PATCH",
  path: "/pedidos/pedido-itens/:item_id",
  guard: "user",
  summary: "Atualiza um item de pedido (totais do pedido recalculados)",
  tags: ["pedidos"],
  params: itemIdParams,
  body: itemPatchSchema,
  response: ItemPatchResponse,
  errors: [400],
  run: (ctx, { params, body }) => patchOrderItem(ctx, params.item_id, body, ctx.user),
});
