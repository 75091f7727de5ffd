/**
 * Collects JSON text pieces — strings and raw UTF-8 bytes straight from SQLite — and copies them once into one
 * Buffer. The order list uses it so 70 MB of stored item JSON never becomes JS strings (decode, join, re-encode and
 * the garbage collector copying them were most of its time).
 */
export class JsonBytes {
  private parts: (string | Uint8Array)[] = [];
  private size = 0;

  /** ASCII or any text (its UTF-8 length is counted). */
  text(s: string): this {
    this.parts.push(s);
    this.size += Buffer.byteLength(s);
    return this;
  }

  bytes(b: Uint8Array): this {
    this.parts.push(b);
    this.size += b.byteLength;
    return this;
  }

  toBuffer(): Buffer<ArrayBuffer> {
    const out = Buffer.allocUnsafe(this.size);
    let at = 0;
    for (const p of this.parts) {
      if (typeof p === "string") at += out.write(p, at, "utf8");
      else {
        out.set(p, at);
        at += p.byteLength;
      }
    }
    return out;
  }
}

/** A BLOB column as bytes (the driver gives a Buffer for small values and an ArrayBuffer for large ones). */
export const blobBytes = (v: unknown): Uint8Array =>
  v instanceof Uint8Array ? v : v instanceof ArrayBuffer ? new Uint8Array(v) : Buffer.from(String(v ?? ""), "utf8");

/** True when `bytes` starts with the ASCII `prefix`. */
export function startsWithAscii(bytes: Uint8Array, prefix: string): boolean {
  if (bytes.byteLength < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix.charCodeAt(i)) return false;
  return true;
}

/** True when the ASCII `needle` occurs in `bytes`. */
export const includesAscii = (bytes: Uint8Array, needle: string): boolean =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(needle, 0, "latin1") >= 0;
