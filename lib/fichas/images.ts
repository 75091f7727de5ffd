import { rmdir } from "node:fs/promises";
import type { Logger } from "../log.ts";
import type { MediaStore } from "../media/store.ts";
import { badRequest } from "../errors.ts";
import { checkImage, tooLarge, type ImageMime } from "../media/check-image.ts";
import { decodeDataUrl, isDataUrl } from "../media/data-url.ts";
import { newImageName, removeMediaFiles, writeMediaFile } from "../media/files.ts";

/**
 * A ficha's image file: `fichas/{id}/<uuid>.<ext>` under the media root, the original's layout. The bytes go
 * through the checks of item images (`checkImage`: PNG, JPEG, WebP or GIF by content, complete, no trailing data or
 * markup, at most `MAX_IMAGE_MB`); the extension comes from the detected type.
 */

export const FICHA_IMAGE_LABEL = "Imagem da ficha";

/** The folder of one ficha's images. */
export const fichaDir = (id: number) => `fichas/${id}`;

/** A checked image already written to its final place, waiting for its row (or for removal, if the write fails). */
export interface StagedFichaImage {
  path: string;
  mime: ImageMime;
  size: number;
}

/**
 * Decodes the `imagem_base64` of a ficha body: a `data:image/...;base64,` URL or bare base64 (the original took
 * both). Whitespace inside is ignored; the alphabet, padding and length are checked strictly.
 * @throws AppError 400 (not base64, not an image data URL) or 413 (over `maxBytes`, checked before decoding).
 */
export function decodeFichaImage(raw: string, maxBytes: number): Uint8Array {
  if (isDataUrl(raw)) return decodeDataUrl(raw, maxBytes, FICHA_IMAGE_LABEL);
  const data = raw.replace(/\s+/g, "");
  const pad = data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0;
  if (Math.floor((data.length * 3) / 4) - pad > maxBytes) throw tooLarge(maxBytes, FICHA_IMAGE_LABEL);
  if (data.length === 0) throw badRequest(`${FICHA_IMAGE_LABEL}: arquivo vazio`);
  // Node's decoder skips characters outside the alphabet and stops at a misplaced `=`: fewer bytes than the length
  // promises means the text was not base64 (the same check as data URLs).
  const bytes = data.length % 4 === 0 ? Buffer.from(data, "base64") : null;
  if (!bytes || bytes.length !== (data.length / 4) * 3 - pad) throw badRequest(`${FICHA_IMAGE_LABEL}: base64 inválido`);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** An image decoded and checked, not yet on disk. */
export interface CheckedFichaImage {
  bytes: Uint8Array;
  mime: ImageMime;
  ext: string;
  size: number;
}

/**
 * Decodes and checks a ficha's new image (nothing written yet, so a refused image costs no file and no id).
 * @throws AppError 400/413.
 */
export async function checkFichaImage(raw: string, maxBytes: number): Promise<CheckedFichaImage> {
  const bytes = decodeFichaImage(raw, maxBytes);
  const checked = await checkImage(bytes, maxBytes, FICHA_IMAGE_LABEL);
  return { bytes, ...checked };
}

/**
 * Writes a checked image under `fichas/{fichaId}/`, BEFORE the write transaction (nothing may await inside it).
 * The caller links it in the transaction, or calls `discardFichaFiles` when that fails.
 */
export async function stageFichaImage(media: MediaStore, fichaId: number, image: CheckedFichaImage): Promise<StagedFichaImage> {
  const path = `${fichaDir(fichaId)}/${newImageName(image.ext)}`;
  await writeMediaFile(media, path, image.bytes);
  return { path, mime: image.mime, size: image.size };
}

/**
 * True for a stored path this module may delete: one of `fichas/{id}/`. A legacy row pointing anywhere else (an
 * order's image, say, set by hand) is never deleted through its ficha.
 */
export const isOwnFichaFile = (id: number, path: string | null): path is string =>
  typeof path === "string" && path.startsWith(`${fichaDir(id)}/`) && !path.slice(fichaDir(id).length + 1).includes("/");

/**
 * Deletes files of ficha `id` after COMMIT (async, never blocking; a missing file is fine, other failures are
 * logged). With `removeFolder`, the then empty `fichas/{id}/` goes too (a folder still holding files stays).
 */
export async function discardFichaFiles(
  media: MediaStore,
  id: number,
  paths: (string | null)[],
  log?: Logger,
  removeFolder = false,
): Promise<void> {
  await removeMediaFiles(
    media,
    paths.filter((p): p is string => isOwnFichaFile(id, p)),
    log,
  );
  if (!removeFolder) return;
  const dir = media.resolveInside(fichaDir(id));
  if (dir) await rmdir(dir).catch(() => {});
}
