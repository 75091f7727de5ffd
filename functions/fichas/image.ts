// GET /fichas/imagens/:id: a ficha's image. Declared public because an <img> or the client's blob loader may carry
// no Authorization header: the handler itself requires a valid URL signature (`imagem_url` is signed) or a valid
// bearer token, else 401.
import * as v from "valibot";
import { defineFunction } from "../../lib/function.ts";
import { serveFichaImage } from "../../lib/fichas/index.ts";
import { fichaParams } from "../../lib/fichas/schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/fichas/imagens/:id",
  guard: "public",
  summary: "Imagem de uma ficha (URL assinada ou token)",
  tags: ["fichas", "imagens"],
  response: { mediaType: "image/*", description: "O arquivo da imagem (PNG, JPEG, WebP ou GIF)" },
  errors: [401],
  params: fichaParams,
  query: v.object({ exp: v.optional(v.string()), sig: v.optional(v.string()) }),
  run: (ctx, { params, query, headers }) => serveFichaImage(ctx, params.id, query, headers),
});
