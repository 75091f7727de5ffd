// PATCH /designers/itens/:item_id/status-arte: the designer releases (or holds back) an item's art.
// Emits order_updated; a release also notifies the order's creator (designer_art_ready).
import { defineFunction } from "../../lib/function.ts";
import { setItemArtStatus } from "../../lib/orders/index.ts";
import { artStatusBody, itemParams } from "../../lib/designers/schemas.ts";
import { DesignerArteItem } from "../../lib/designers/wire-schemas.ts";

export default defineFunction({
  method: "PATCH",
  path: "/designers/itens/:item_id/status-arte",
  guard: "user",
  summary: "Altera o status da arte de um item (aguardando | liberado)",
  tags: ["designers"],
  response: DesignerArteItem,
  params: itemParams,
  body: artStatusBody,
  run: (ctx, { params, body }) => setItemArtStatus(ctx, params.item_id, body.status_arte, ctx.user),
});
