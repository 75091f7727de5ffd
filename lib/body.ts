/**
 * Response bodies a handler may return besides plain data: JSON that is already serialized (bytes straight from
 * the database), and JSON streamed in chunks. The runtime sends them without parsing or re-serializing them
 * (`runtime/respond.ts`): gzip when the client accepts it, backpressure, no body copied into a second form.
 */

/** JSON text already serialized, as byte pieces (written in order; never concatenated unless compressed). */
export class JsonBody {
  readonly byteLength: number;

  constructor(
    readonly parts: readonly Uint8Array[],
    readonly status = 200,
  ) {
    let n = 0;
    for (const p of parts) n += p.byteLength;
    this.byteLength = n;
  }

  /** The whole text as one Buffer (tests, small bodies). */
  toBuffer(): Buffer {
    return this.parts.length === 1
      ? Buffer.from(this.parts[0].buffer, this.parts[0].byteOffset, this.parts[0].byteLength)
      : Buffer.concat(this.parts);
  }
}

/**
 * JSON produced chunk by chunk on demand. `next()` resolves to the next chunk (null at the end); each call must do
 * a bounded amount of synchronous work (the runtime calls it only when the socket wants more, so a large list never
 * sits in memory and never holds the event loop for long). `close()` is called once, at the end or when the
 * client goes away.
 */
export interface JsonChunks {
  next(): Promise<Uint8Array | null>;
  close(): void;
}

export class JsonStream {
  /**
   * `memoKey`: when given, the runtime may answer a later request with the same key from the bytes of this one
   * (bounded memo); the key must change whenever the bytes would (`listMemoKey`).
   */
  constructor(
    readonly source: JsonChunks,
    readonly status = 200,
    readonly memoKey?: string,
  ) {}
}

/** True for the bodies above (the runtime's dispatch). */
export const isRawBody = (x: unknown): x is JsonBody | JsonStream => x instanceof JsonBody || x instanceof JsonStream;
