/**
 * Collects JSON text pieces — strings and raw UTF-8 bytes straight from SQLite — and copies them once into one
 * Buffer. The order list uses it so 70 MB of stored item JSON never becomes JS strings (decode, join, re-encode and
 * the garbage collector copying them were most of its time).
 */
export class JsonBytes {
  private parts: (string | Buffer)[] = [];
  /** Per part: true when it is a string known to be ASCII (length = bytes, cheap to copy). */
  private ascii: boolean[] = [];
  private size = 0;

  /** Any text (its UTF-8 length is counted). */
  text(s: string): this {
    this.parts.push(s);
    this.ascii.push(false);
    this.size += Buffer.byteLength(s);
    return this;
  }

  /** Text the caller knows is ASCII (punctuation and numbers). */
  asciiText(s: string): this {
    this.parts.push(s);
    this.ascii.push(true);
    this.size += s.length;
    return this;
  }

  bytes(b: Buffer): this {
    this.parts.push(b);
    this.ascii.push(false);
    this.size += b.byteLength;
    return this;
  }

  /** Total size in bytes. */
  get byteLength(): number {
    return this.size;
  }

  toBuffer(): Buffer<ArrayBuffer> {
    const out = Buffer.allocUnsafe(this.size);
    this.copyParts(out, 0, this.parts.length);
    return out;
  }

  /**
   * The bytes as a pull stream of ~`chunkBytes` chunks, assembled on demand: a 70 MB list goes out while it is
   * being assembled, without one 70 MB buffer.
   */
  toStream(chunkBytes = 256 * 1024): ReadableStream<Uint8Array> {
    let next = 0;
    return new ReadableStream<Uint8Array>({
      pull: (controller) => {
        if (next >= this.parts.length) return controller.close();
        let size = 0;
        let end = next;
        while (end < this.parts.length && (size === 0 || size < chunkBytes)) size += this.partBytes(end++);
        const chunk = Buffer.allocUnsafe(size);
        this.copyParts(chunk, next, end);
        next = end;
        controller.enqueue(chunk);
      },
    }, { highWaterMark: 2 });
  }

  private partBytes(i: number): number {
    const p = this.parts[i];
    return typeof p === "string" ? (this.ascii[i] ? p.length : Buffer.byteLength(p)) : p.byteLength;
  }

  private copyParts(out: Buffer, from: number, to: number): void {
    let at = 0;
    const { parts, ascii } = this;
    for (let i = from; i < to; i++) {
      const p = parts[i];
      if (typeof p === "string") at += out.write(p, at, ascii[i] ? "latin1" : "utf8");
      else at += p.copy(out, at); // memcpy; TypedArray#set was several times slower here
    }
  }
}

/** A BLOB column as a Buffer (the driver gives a Buffer for small values and an ArrayBuffer for large ones). */
export const blobBytes = (v: unknown): Buffer =>
  Buffer.isBuffer(v) ? v : v instanceof ArrayBuffer ? Buffer.from(v) : v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : Buffer.from(String(v ?? ""), "utf8");

/** True when `bytes` starts with the ASCII `prefix`. */
export function startsWithAscii(bytes: Uint8Array, prefix: string): boolean {
  if (bytes.byteLength < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix.charCodeAt(i)) return false;
  return true;
}
