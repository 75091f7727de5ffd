import { badRequest } from "../errors.ts";
import { tooLarge } from "./check-image.ts";

const DATA_URL = /^data:([\w.+/-]*)((?:;[\w.+-]+=[^;,]*)*)(;base64)?,/i;

export const isDataUrl = (s: string) => /^data:/i.test(s.trimStart());

/**
 * Decodes a `data:image/...;base64,` URL. Whitespace inside the data is removed; the base64 is validated strictly
 * (alphabet, padding, length). The declared type is not trusted (the bytes are sniffed later); a non-image declared
 * type is still refused, since it says the client meant to send something else.
 * @throws AppError 400 (malformed, not base64, not an image type) or 413 (decoded size over `maxBytes`, checked
 *   before decoding).
 */
export function decodeDataUrl(url: string, maxBytes: number, label = "Imagem"): Uint8Array {
  const s = url.trim();
  const head = DATA_URL.exec(s.slice(0, 512));
  if (!head) throw badRequest(`${label}: data URL inválida`);
  if (!head[3]) throw badRequest(`${label}: data URL deve estar em base64`);
  if (!/^image\//i.test(head[1])) throw badRequest(`${label}: o tipo declarado não é imagem`);
  const data = s.slice(head[0].length).replace(/\s+/g, "");
  // Decoded size from the text length, before allocating anything.
  if (Math.floor((data.length * 3) / 4) - (data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0) > maxBytes)
    throw tooLarge(maxBytes, label);
  if (data.length === 0) throw badRequest(`${label}: arquivo vazio`);
  // Node's decoder skips characters outside the alphabet and stops at a misplaced `=`: either way fewer bytes come
  // out than the length promises, so the length check rejects them (cheaper than a regex over several MB).
  const pad = data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0;
  const bytes = data.length % 4 === 0 ? Buffer.from(data, "base64") : null;
  if (!bytes || bytes.length !== (data.length / 4) * 3 - pad) throw badRequest(`${label}: base64 inválido`);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
