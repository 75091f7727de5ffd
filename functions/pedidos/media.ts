// GET /pedidos/media/{path}: the client's preview of `pedidos/tmp/...` uploads and legacy `pedidos/{id}/{file}`
// paths. Only images we stored are served (a tmp upload, or the file of an image row); the rest of the media root
// (snapshots, templates) is not. Public in the definition: the handler requires a valid signature or token (401).
import * as v from "valibot";
import { defineFunction } from "../../lib/function.ts";
import { notFound } from "../../lib/errors.ts";
import { findImageByPath } from "../../lib/media/repository.ts";
import { cleanMediaPath, mediaUrlOf } from "../../lib/media/refs.ts";
import { authorizeMediaRequest, serveImageFile, serveImageRow } from "../../lib/media/serve.ts";

export default defineFunction({
  method: "GET",
  path: "/pedidos/media/:path{.+}",
  guard: "public",
  summary: "Arquivo de imagem por caminho (uploads temporários e caminhos legados)",
  tags: ["pedidos", "imagens"],
  params: v.object({ path: v.string() }),
  query: v.object({ exp: v.optional(v.string()), sig: v.optional(v.string()) }),
  response: { mediaType: "image/*", description: "O arquivo da imagem (PNG, JPEG, WebP ou GIF)" },
  errors: [401],
  async run(ctx, { params, query, headers }) {
    const path = cleanMediaPath(params.path);
    if (!path) throw notFound("Arquivo não encontrado");
    await authorizeMediaRequest(ctx, mediaUrlOf(path), query, headers);
    if (/^pedidos\/tmp\/[^/]+$/.test(path)) return serveImageFile(ctx, { path, etagKey: "t" }, headers);
    const row = await ctx.db.read((q) => findImageByPath(q, path));
    if (!row) throw notFound("Arquivo não encontrado");
    return serveImageRow(ctx, row, headers);
  },
});
