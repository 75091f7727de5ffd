import { open, type FileHandle } from "node:fs/promises";
import type { Deps } from "../function.ts";
import { notFound } from "../errors.ts";
import { authenticate } from "../auth/guard.ts";
import { sniffImageMime } from "./check-image.ts";
import { STAGING_DIR } from "./files.ts";
import type { ImageRow } from "./repository.ts";

/** Browsers may cache an image privately for a day: a stored file never changes (a new image gets a new id). */
const CACHE_CONTROL = "private, max-age=86400";

/**
 * Lets a media request through when its URL carries a valid, unexpired signature of `signedPath`, or else when it
 * has a valid bearer token; otherwise 401. Runs before any lookup, so an anonymous caller learns nothing.
 */
export async function authorizeMediaRequest(
  deps: Deps,
  signedPath: string,
  query: { exp?: string; sig?: string },
  headers: Headers,
): Promise<void> {
  if (deps.media.signer.verify(signedPath, query.exp, query.sig)) return;
  await authenticate(deps, headers, "user");
}

/**
 * Serves a stored image file: its real path must stay under the media root (symlinks out refused), and its bytes
 * must sniff as one of our image types (a legacy non-image file is never served). `ETag`/`304`, `nosniff`, a private
 * cache header, and a CSP that keeps the response inert if opened directly.
 * A row whose file is still in staging (a move after commit that failed or has not run yet) is found there.
 */
export async function serveImageFile(
  deps: Pick<Deps, "media">,
  file: { path: string; filename?: string; etagKey: string },
  requestHeaders: Headers,
): Promise<Response> {
  const locate = async () =>
    (await deps.media.realPathInside(file.path)) ??
    (file.filename ? await deps.media.realPathInside(`${STAGING_DIR}/${file.filename}`) : null);
  const real = await locate();
  if (!real) throw notFound("Arquivo não encontrado");
  const fh = await open(real, "r").catch(() => null);
  if (!fh) throw notFound("Arquivo não encontrado");
  let size: number;
  let mtimeMs: number;
  let mime: string | null;
  try {
    const info = await fh.stat();
    if (!info.isFile()) throw notFound("Arquivo não encontrado");
    size = info.size;
    mtimeMs = info.mtimeMs;
    const head = new Uint8Array(Math.min(4100, size));
    await fh.read(head, 0, head.byteLength, 0);
    mime = await sniffImageMime(head);
  } finally {
    await fh.close();
  }
  if (!mime) throw notFound("Arquivo não encontrado");
  const etag = `"${file.etagKey}-${size.toString(36)}-${Math.floor(mtimeMs).toString(36)}"`;
  const headers = new Headers({
    "Content-Type": mime,
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": CACHE_CONTROL,
    ETag: etag,
    "Content-Security-Policy": "default-src 'none'; sandbox",
  });
  const inm = requestHeaders.get("if-none-match");
  if (inm?.split(",").some((t) => t.trim().replace(/^W\//, "") === etag)) return new Response(null, { status: 304, headers });
  headers.set("Content-Length", String(size));
  const name = (file.filename ?? file.path.split("/").pop() ?? "imagem").replace(/[^\w.-]/g, "_");
  headers.set("Content-Disposition", `inline; filename="${name}"`);
  // Located again when the body is read: a staged file may have moved to its final place in between.
  return new Response(
    lazyFileStream(async () => (await locate()) ?? real),
    { status: 200, headers },
  );
}

/**
 * The file's bytes, opened only when the body is first read and closed at its end or on cancel: a HEAD answer (whose
 * body is dropped unread) or a client gone before the first chunk never holds a descriptor.
 */
function lazyFileStream(locate: () => Promise<string>): ReadableStream<Uint8Array> {
  let handle: FileHandle | null = null;
  let position = 0;
  const release = async () => {
    const h = handle;
    handle = null;
    await h?.close();
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          handle ??= await open(await locate(), "r");
          const chunk = new Uint8Array(64 * 1024);
          const { bytesRead } = await handle.read(chunk, 0, chunk.byteLength, position);
          if (bytesRead === 0) {
            await release();
            controller.close();
            return;
          }
          position += bytesRead;
          controller.enqueue(chunk.subarray(0, bytesRead));
        } catch (err) {
          await release().catch(() => {});
          controller.error(err);
        }
      },
      cancel: release,
    },
    { highWaterMark: 0 },
  );
}

/** `serveImageFile` for a `pedido_imagens` row. */
export const serveImageRow = (deps: Pick<Deps, "media">, row: ImageRow, headers: Headers) =>
  serveImageFile(deps, { path: row.path, filename: row.filename, etagKey: `i${row.id}` }, headers);
