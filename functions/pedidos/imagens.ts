// GET /pedidos/imagens/{id}: a stored item image. Declared public because an <img> or the client's blob loader may
// carry no Authorization header: the handler itself requires a valid URL signature (the `imagem` URLs we return are
// signed) or a valid bearer token, else 401.
import * as v from "valibot";
import { pathId } from "../../lib/schemas.ts";
import { defineFunction } from "../../lib/function.ts";
import { notFound } from "../../lib/errors.ts";
import { getImage } from "../../lib/media/repository.ts";
import { imageUrlOf } from "../../lib/media/refs.ts";
import { authorizeMediaRequest, serveImageRow } from "../../lib/media/serve.ts";

export default defineFunction({
  method: "GET",
  path: "/pedidos/imagens/:id",
  guard: "public",
  summary: "Imagem de um item (URL assinada ou token)",
  tags: ["pedidos", "imagens"],
  params: v.object({ id: pathId }),
  query: v.object({ exp: v.optional(v.string()), sig: v.optional(v.string()) }),
  response: { mediaType: "image/*", description: "O arquivo da imagem (PNG, JPEG, WebP ou GIF)" },
  errors: [401],
  async run(ctx, { params, query, headers }) {
    await authorizeMediaRequest(ctx, imageUrlOf(params.id), query, headers);
    const row = await ctx.db.read((q) => getImage(q, params.id));
    if (!row) throw notFound("Imagem não encontrada");
    return serveImageRow(ctx, row, headers);
  },
});
