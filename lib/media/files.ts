import { randomUUID } from "node:crypto";
import { mkdir, open, rename, unlink, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { Logger } from "../log.ts";
import { AppError, badRequest } from "../errors.ts";
import type { MediaStore } from "./store.ts";
import { tooLarge } from "./check-image.ts";

/** Where images of an order that does not exist yet wait for its id (renamed into `pedidos/{id}/` after commit). */
export const STAGING_DIR = "pedidos/.staging";
export const TMP_DIR = "pedidos/tmp";

/** A fresh file name: 32 hex chars and the extension of the detected type. */
export const newImageName = (ext: string) => `${randomUUID().replace(/-/g, "")}.${ext}`;

/** Absolute path of `rel`, or throws (every path we build is ours, so this only fires on a bug). */
function absolute(media: MediaStore, rel: string): string {
  const full = media.resolveInside(rel);
  if (!full) throw new Error(`media path escapes the root: ${rel}`);
  return full;
}

/**
 * A file-system failure as the client should see it: 507 when the disk is full, 503 when the media folder cannot
 * be written (permissions, a read-only volume, a file where a folder should be), each with a `detail` naming the
 * cause for the shop's IT person; anything else is rethrown (a 500 with a request id, logged).
 */
export function mediaFsError(err: unknown): unknown {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case "ENOSPC":
    case "EDQUOT":
      return new AppError(507, "Espaço em disco insuficiente para salvar a imagem: libere espaço no servidor (pasta de mídia)");
    case "EACCES":
    case "EPERM":
    case "EROFS":
      return Object.assign(
        new AppError(503, "Sem permissão para gravar na pasta de mídia do servidor (MEDIA_ROOT): verifique as permissões"),
        { causeError: err },
      );
    case "ENOTDIR":
    case "EEXIST":
    case "EISDIR":
      return Object.assign(
        new AppError(503, "A pasta de mídia do servidor está inacessível: um arquivo ocupa o lugar de uma pasta (MEDIA_ROOT)"),
        { causeError: err },
      );
    case "EIO":
    case "EMFILE":
    case "ENFILE":
      return Object.assign(new AppError(503, "Falha de disco ao gravar a imagem: tente novamente"), { causeError: err });
    default:
      return err;
  }
}

/**
 * Writes `bytes` at `rel` (creating folders). `wx`: never overwrites an existing file. A failed write (disk full
 * halfway) leaves no partial file behind.
 * @throws AppError 507/503 for disk and permission faults (see `mediaFsError`).
 */
export async function writeMediaFile(media: MediaStore, rel: string, bytes: Uint8Array): Promise<void> {
  const full = absolute(media, rel);
  try {
    await mkdir(dirname(full), { recursive: true });
  } catch (err) {
    throw mediaFsError(err);
  }
  try {
    await writeFile(full, bytes, { flag: "wx" });
  } catch (err) {
    // `wx` created the file before the write failed: what was written of it is garbage, remove it now.
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") await unlink(full).catch(() => {});
    throw mediaFsError(err);
  }
}

/** Moves a file inside the media root (same volume: a rename). */
export async function moveMediaFile(media: MediaStore, from: string, to: string): Promise<void> {
  const target = absolute(media, to);
  try {
    await mkdir(dirname(target), { recursive: true });
    await rename(absolute(media, from), target);
  } catch (err) {
    throw mediaFsError(err);
  }
}

/**
 * Deletes files under the media root, never blocking the event loop. A missing file is fine; other failures are
 * logged, never thrown (the rows are already gone: a leftover file is only disk space).
 */
export async function removeMediaFiles(media: MediaStore, rels: Iterable<string>, log?: Logger): Promise<void> {
  await Promise.all(
    [...new Set(rels)].map(async (rel) => {
      const full = media.resolveInside(rel);
      if (!full) return;
      try {
        await unlink(full);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENOENT") log?.warn({ err, path: rel }, "could not delete media file");
      }
    }),
  );
}

/**
 * Reads a stored file (symlinks out of the root refused), at most `maxBytes`.
 * @throws AppError 400 when missing or not a regular file, 413 when larger than `maxBytes`.
 */
export async function readMediaFile(media: MediaStore, rel: string, maxBytes: number, label = "Imagem"): Promise<Uint8Array> {
  const real = await media.realPathInside(rel);
  if (!real) throw badRequest(`${label}: arquivo não encontrado (${rel})`);
  const fh = await open(real, "r").catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return null;
    throw mediaFsError(err);
  });
  if (!fh) throw badRequest(`${label}: arquivo não encontrado (${rel})`);
  try {
    const info = await fh.stat();
    if (!info.isFile()) throw badRequest(`${label}: arquivo não encontrado (${rel})`);
    if (info.size > maxBytes) throw tooLarge(maxBytes, label);
    return new Uint8Array(await fh.readFile());
  } finally {
    await fh.close();
  }
}
