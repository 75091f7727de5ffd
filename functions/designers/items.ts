// GET /designers/:nome/itens: the designer's art panel, paged (client-contract §1.4).
import * as v from "valibot";
import { defineFunction } from "../../lib/function.ts";
import { listDesignerItems } from "../../lib/designers/panel.ts";
import { imageSignerOf } from "../../lib/catalogs/order-items.ts";
import { panelQuery } from "../../lib/designers/schemas.ts";
import { DesignerArteItem } from "../../lib/designers/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/designers/:nome/itens",
  guard: "user",
  summary: "Itens de arte de um designer (pedidos não cancelados nem entregues)",
  tags: ["designers"],
  response: v.array(DesignerArteItem),
  params: v.object({ nome: v.pipe(v.string(), v.trim(), v.minLength(1)) }),
  query: panelQuery,
  run: (ctx, { params, query }) => ctx.db.read((q) => listDesignerItems(q, params.nome, query, imageSignerOf(ctx.media))),
});
