// GET /relatorios-envios/pedidos: the order list by delivery date, newest first, in the shape of GET /pedidos/ (spec §3).
import { defineFunction } from "../../lib/function.ts";
import { signImageRef } from "../../lib/media/wire.ts";
import { enviosBytes } from "../../lib/reports/index.ts";
import { enviosQuery } from "../../lib/reports/schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/relatorios-envios/pedidos",
  guard: "user",
  summary: "Relatório de envios: pedidos por data de entrega (skip, limit, status, cliente, data_inicio, data_fim)",
  tags: ["relatorios"],
  query: enviosQuery,
  run: async (ctx, { query }) => {
    const sign = (imagem: unknown) => signImageRef(ctx.media.signer, imagem);
    const bytes = await ctx.db.read((q) => enviosBytes(q, query, sign));
    return new Response(bytes.toStream(), {
      status: 200,
      headers: { "content-type": "application/json; charset=utf-8", "content-length": String(bytes.byteLength) },
    });
  },
});
