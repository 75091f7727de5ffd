// POST /designers/itens/:item_id/comentarios: appends a comment to an item; returns the whole panel item.
import { defineFunction } from "../../lib/function.ts";
import { addItemComment } from "../../lib/orders/index.ts";
import { commentBody, itemParams } from "../../lib/designers/schemas.ts";
import { DesignerArteItem } from "../../lib/designers/wire-schemas.ts";

export default defineFunction({
  method: "POST",
  path: "/designers/itens/:item_id/comentarios",
  guard: "user",
  summary: "Comenta um item no painel de arte (autor = usuário logado)",
  tags: ["designers"],
  response: DesignerArteItem,
  params: itemParams,
  body: commentBody,
  run: (ctx, { params, body }) => addItemComment(ctx, params.item_id, body.texto, ctx.user),
});
