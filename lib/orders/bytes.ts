/** A BLOB column as a Buffer (the driver gives a Buffer for small values and an ArrayBuffer for large ones). */
export const blobBytes = (v: unknown): Buffer =>
  Buffer.isBuffer(v)
    ? v
    : v instanceof ArrayBuffer
      ? Buffer.from(v)
      : v instanceof Uint8Array
        ? Buffer.from(v.buffer, v.byteOffset, v.byteLength)
        : Buffer.from(String(v ?? ""), "utf8");

/**
 * Writes stored order JSON out with its item images signed, without parsing the order: the stored image ranges
 * (`OrderWire.images`) are the JSON string tokens to replace; everything else is copied as bytes. One per request:
 * the memo holds each token's signed form for the request (a signature changes only once an hour).
 */
export class ImageSigner {
  private readonly memo = new Map<string, Buffer>();

  constructor(private readonly sign: (value: unknown) => unknown) {}

  /** Pushes `json`'s bytes, images signed, onto `out`; returns the number of bytes pushed. */
  push(out: Uint8Array[], json: Buffer, images: readonly number[] | null): number {
    if (!images || images.length === 0) {
      out.push(json);
      return json.byteLength;
    }
    let n = 0;
    let at = 0;
    for (let i = 0; i + 1 < images.length; i += 2) {
      const start = images[i];
      const end = images[i + 1];
      if (start < at || end > json.byteLength || end <= start) break; // a damaged range: the rest goes out as stored
      if (start > at) {
        out.push(json.subarray(at, start));
        n += start - at;
      }
      const signed = this.token(json.toString("utf8", start, end));
      out.push(signed);
      n += signed.byteLength;
      at = end;
    }
    if (at < json.byteLength) {
      out.push(json.subarray(at));
      n += json.byteLength - at;
    }
    return n;
  }

  private token(raw: string): Buffer {
    let signed = this.memo.get(raw);
    if (signed === undefined) {
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch {
        value = undefined;
      }
      signed = Buffer.from(value === undefined ? raw : JSON.stringify(this.sign(value)), "utf8");
      if (this.memo.size < 100_000) this.memo.set(raw, signed);
    }
    return signed;
  }
}
