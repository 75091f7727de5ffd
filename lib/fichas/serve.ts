import type { Deps } from "../function.ts";
import { notFound } from "../errors.ts";
import { authorizeMediaRequest, serveImageFile } from "../media/serve.ts";
import { fichaImageUrl, findFicha, FICHA_NOT_FOUND } from "./repository.ts";

/**
 * `GET /fichas/imagens/{id}`: the ficha's image, to a valid URL signature (the `imagem_url` we return) or a bearer
 * token; 401 before any lookup otherwise. Served like item images (sniffed type, confined path, nosniff, ETag).
 * note: the URL names the ficha, not the file, and stays the same when the image is replaced: browsers must
 * revalidate (`no-cache`; the ETag carries the file name, so an unchanged image costs a 304).
 */
export async function serveFichaImage(deps: Deps, id: number, query: { exp?: string; sig?: string }, headers: Headers): Promise<Response> {
  await authorizeMediaRequest(deps, fichaImageUrl(id), query, headers);
  const row = await deps.db.read((q) => findFicha(q, id));
  if (!row) throw notFound(FICHA_NOT_FOUND);
  if (!row.imagem_path) throw notFound("Ficha não possui imagem");
  const file = String(row.imagem_path);
  const name = file.split("/").pop() ?? "";
  const res = await serveImageFile(deps, { path: file, etagKey: `f${id}-${name.replace(/[^\w]/g, "").slice(0, 40)}` }, headers);
  res.headers.set("Cache-Control", "private, no-cache");
  return res;
}
