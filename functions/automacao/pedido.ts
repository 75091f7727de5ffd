// GET /automacao/pedido/{numero}: one order by its numero (as typed, or zero-padded to 10 digits) or its id (spec §6).
import { defineFunction } from "../../lib/function.ts";
import { signOrderImages } from "../../lib/media/wire.ts";
import { automacaoPedido } from "../../lib/reports/index.ts";
import { numeroParams } from "../../lib/reports/schemas.ts";
import { AutomacaoPedido } from "../../lib/reports/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/automacao/pedido/:numero",
  guard: "user",
  summary: "Busca um pedido pelo número (ou id), com itens",
  tags: ["automacao"],
  response: AutomacaoPedido,
  params: numeroParams,
  run: async (ctx, { params }) => signOrderImages(ctx.media.signer, await ctx.db.read((q) => automacaoPedido(q, params.numero))),
});
