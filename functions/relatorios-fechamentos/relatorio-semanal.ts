// GET /relatorios-fechamentos/pedidos/relatorio-semanal: the orders of a period in the shape of GET /pedidos/.
// The client's Fechamentos screen builds its closing report from this list (every status, items included).
import { defineFunction } from "../../lib/function.ts";
import { signImageRef } from "../../lib/media/wire.ts";
import { relatorioSemanalBytes } from "../../lib/reports/index.ts";
import { semanalQuery } from "../../lib/reports/schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/relatorios-fechamentos/pedidos/relatorio-semanal",
  guard: "user",
  summary: "Pedidos do período para o fechamento (start_date, end_date, date_mode, cliente)",
  tags: ["relatorios"],
  query: semanalQuery,
  run: async (ctx, { query }) => {
    const sign = (imagem: unknown) => signImageRef(ctx.media.signer, imagem);
    const bytes = await ctx.db.read((q) => relatorioSemanalBytes(q, query, sign));
    return new Response(bytes.toStream(), {
      status: 200,
      headers: { "content-type": "application/json; charset=utf-8", "content-length": String(bytes.byteLength) },
    });
  },
});
