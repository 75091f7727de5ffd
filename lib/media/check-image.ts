import { fileTypeFromBuffer } from "file-type";
import { crc32 } from "node:zlib";
import { AppError, badRequest } from "../errors.ts";

/** The only image types we store and serve. The extension always comes from here, never from the client. */
export const IMAGE_TYPES = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
  "image/gif": "gif",
} as const;
export type ImageMime = keyof typeof IMAGE_TYPES;

export interface CheckedImage {
  mime: ImageMime;
  ext: (typeof IMAGE_TYPES)[ImageMime];
  size: number;
}

export const isImageMime = (m: unknown): m is ImageMime => typeof m === "string" && m in IMAGE_TYPES;

export const tooLarge = (maxBytes: number, label = "Imagem") =>
  new AppError(413, `${label}: maior que o limite de ${Math.round((maxBytes / 1024 / 1024) * 100) / 100} MB`);

/**
 * Checks an image by its bytes: PNG, JPEG, WebP or GIF (magic bytes, via file-type), complete (a truncated file is
 * refused), with nothing after the image's end (a polyglot: image header + HTML/ZIP/script is refused), no markup
 * hidden inside, and at most `maxBytes`.
 * @throws AppError 400 (`detail` says why) or 413 (too large).
 * @example const { mime, ext } = await checkImage(bytes, config.maxImageBytes); // { mime: "image/png", ext: "png" }
 */
export async function checkImage(bytes: Uint8Array, maxBytes: number, label = "Imagem"): Promise<CheckedImage> {
  if (bytes.byteLength === 0) throw badRequest(`${label}: arquivo vazio`);
  if (bytes.byteLength > maxBytes) throw tooLarge(maxBytes, label);
  const type = await fileTypeFromBuffer(bytes);
  if (!type || !isImageMime(type.mime)) {
    throw badRequest(`${label}: formato não suportado (apenas PNG, JPEG, WebP ou GIF)`);
  }
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const problem = STRUCTURE[type.mime](buf);
  if (problem) throw badRequest(`${label}: arquivo de imagem inválido (${problem})`);
  // note: served with nosniff and an image type, markup inside is inert; refusing it still stops the file from being
  // reused as an HTML/SVG/script payload elsewhere. Seven specific bytes by chance in pixel data are vanishingly rare.
  if (containsMarkup(buf)) throw badRequest(`${label}: conteúdo suspeito dentro da imagem`);
  return { mime: type.mime, ext: IMAGE_TYPES[type.mime], size: bytes.byteLength };
}

/**
 * The type of a stored file from its first bytes, for serving: null unless it is one of the four image types.
 * Structure is not re-checked (it was at upload); this guards against serving a legacy non-image file.
 */
export async function sniffImageMime(head: Uint8Array): Promise<ImageMime | null> {
  const type = await fileTypeFromBuffer(head);
  return type && isImageMime(type.mime) ? type.mime : null;
}

const MARKUP = /^<\s*(script|html|body|iframe|svg|object|embed)[\s>/]|^<\?php|^<!doctype\s+html/i;

/** True when an HTML/SVG/PHP opening appears anywhere: only the bytes after each `<` are looked at (native search). */
function containsMarkup(buf: Buffer): boolean {
  for (let at = buf.indexOf(0x3c); at >= 0; at = buf.indexOf(0x3c, at + 1)) {
    if (MARKUP.test(buf.toString("latin1", at, at + 24))) return true;
  }
  return false;
}

/** Each checker returns a short reason when the file is not a complete, single image, or null. */
const STRUCTURE: Record<ImageMime, (b: Buffer) => string | null> = {
  "image/png": checkPng,
  "image/jpeg": checkJpeg,
  "image/gif": checkGif,
  "image/webp": checkWebp,
};

/** Trailing zero bytes (padding some writers add) are tolerated; anything else after the end is not. */
const onlyPaddingFrom = (b: Buffer, at: number) => {
  for (let i = at; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
};

function checkPng(b: Buffer): string | null {
  let at = 8;
  let first = true;
  while (at + 12 <= b.length) {
    const len = b.readUInt32BE(at);
    const type = b.toString("latin1", at + 4, at + 8);
    const end = at + 12 + len;
    if (len > 0x7fffffff || end > b.length) return "PNG truncado";
    if (first && type !== "IHDR") return "PNG sem IHDR";
    first = false;
    if (crc32(b.subarray(at + 4, at + 8 + len)) !== b.readUInt32BE(at + 8 + len)) return `CRC inválido no bloco ${type}`;
    at = end;
    if (type === "IEND") return onlyPaddingFrom(b, at) ? null : "dados após o fim do PNG";
  }
  return "PNG truncado (sem IEND)";
}

function checkJpeg(b: Buffer): string | null {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return "JPEG sem SOI";
  let at = 2;
  let inScan = false;
  while (at < b.length) {
    if (inScan) {
      // Entropy-coded data: FF00 is a stuffed byte, FFD0–FFD7 restart markers, FFFF fill; any other FFxx is a marker.
      const ff = b.indexOf(0xff, at);
      if (ff < 0 || ff + 1 >= b.length) return "JPEG truncado";
      const m = b[ff + 1];
      if (m === 0x00 || m === 0xff || (m >= 0xd0 && m <= 0xd7)) {
        at = ff + (m === 0xff ? 1 : 2);
        continue;
      }
      inScan = false;
      at = ff;
      continue;
    }
    if (b[at] !== 0xff) return "marcador JPEG inválido";
    while (at < b.length && b[at] === 0xff) at++; // fill bytes before a marker
    if (at >= b.length) return "JPEG truncado";
    const marker = b[at++];
    if (marker === 0xd9) return onlyPaddingFrom(b, at) ? null : "dados após o fim do JPEG";
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // standalone markers
    if (at + 2 > b.length) return "JPEG truncado";
    const len = b.readUInt16BE(at);
    if (len < 2 || at + len > b.length) return "JPEG truncado";
    at += len;
    if (marker === 0xda) inScan = true;
  }
  return "JPEG truncado (sem EOI)";
}

function checkGif(b: Buffer): string | null {
  if (b.length < 13) return "GIF truncado";
  let at = 13;
  const flags = b[10];
  if (flags & 0x80) at += 3 * (1 << ((flags & 0x07) + 1));
  const skipSubBlocks = (): boolean => {
    for (;;) {
      if (at >= b.length) return false;
      const n = b[at++];
      if (n === 0) return true;
      at += n;
    }
  };
  while (at < b.length) {
    const block = b[at++];
    if (block === 0x3b) return onlyPaddingFrom(b, at) ? null : "dados após o fim do GIF";
    if (block === 0x21) {
      at++; // extension label
      if (!skipSubBlocks()) return "GIF truncado";
    } else if (block === 0x2c) {
      if (at + 9 > b.length) return "GIF truncado";
      const f = b[at + 8];
      at += 9;
      if (f & 0x80) at += 3 * (1 << ((f & 0x07) + 1));
      at++; // LZW minimum code size
      if (!skipSubBlocks()) return "GIF truncado";
    } else {
      return "bloco GIF inválido";
    }
  }
  return "GIF truncado (sem terminador)";
}

function checkWebp(b: Buffer): string | null {
  if (b.length < 20 || b.toString("latin1", 0, 4) !== "RIFF" || b.toString("latin1", 8, 12) !== "WEBP") return "WebP inválido";
  const riffEnd = 8 + b.readUInt32LE(4);
  if (riffEnd > b.length) return "WebP truncado";
  if (riffEnd < b.length && !onlyPaddingFrom(b, riffEnd)) return "dados após o fim do WebP";
  let at = 12;
  let chunks = 0;
  while (at < riffEnd) {
    if (at + 8 > riffEnd) return "WebP truncado";
    const size = b.readUInt32LE(at + 4);
    at += 8 + size + (size & 1);
    if (at > riffEnd) return "WebP truncado";
    chunks++;
  }
  return chunks > 0 ? null : "WebP vazio";
}
