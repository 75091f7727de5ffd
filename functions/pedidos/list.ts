// GET /pedidos/: filtered list; no `limit` returns every order. Ordering depends on the caller's role.
// Answered as JSON bytes assembled from the stored item JSON (never parsed per item): 10,000 orders must
// stay well under the client's 10 s timeout.
import { defineFunction } from "../../lib/function.ts";
import { clientFilterOf, listOrdersBytes } from "../../lib/orders/index.ts";
import { listQuerySchema } from "../../lib/orders/schemas.ts";
import { signImageRef } from "../../lib/media/wire.ts";

export default defineFunction({
  method: "GET",
  path: "/pedidos",
  guard: "user",
  summary: "Lista pedidos (filtros: status, cliente sem acentos, datas com date_mode, is_pronto, tipo_producao)",
  tags: ["pedidos"],
  query: listQuerySchema,
  run: async (ctx, { query }) => {
    const sign = (imagem: unknown) => signImageRef(ctx.media.signer, imagem);
    const bytes = await ctx.db.read((q) => listOrdersBytes(q, clientFilterOf(query), ctx.user, sign));
    return new Response(bytes.toStream(), {
      status: 200,
      headers: { "content-type": "application/json; charset=utf-8", "content-length": String(bytes.byteLength) },
    });
  },
});
