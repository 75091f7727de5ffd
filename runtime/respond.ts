// Turning a handler's result into bytes on the socket, with as little in between as @hono/node-server allows: a
// lightweight Response with a plain header object and a Buffer body (node-server then writes it with one
// writeHead + end, no undici Response, no web stream), every header decided here at once (request id, timing,
// CORS, encoding), and streamed bodies written straight to the Node response with backpressure.
import { gzip as gzipCallback, createGzip, constants as zlibConstants, type ZlibOptions } from "node:zlib";
import { promisify } from "node:util";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Context } from "hono";
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import { JsonBody, type JsonStream, type JsonChunks } from "../lib/body.ts";

const gzipAsync = promisify(gzipCallback);

/**
 * One-shot bodies below this are sent as they are: compressing a single order (~7 KB) costs more CPU (~0.1 ms,
 * most of it zlib's set-up) than its transfer costs time on the shop's network. Streams are always compressed
 * when the client accepts it.
 */
export const GZIP_MIN_BYTES = 16 * 1024;
/**
 * zlib level of streamed lists: 1 compresses a 70 MB list of orders ~60× in about a third of level 6's CPU (level 6
 * gains ~20 % on size), in libuv's thread pool, off the event loop.
 */
const STREAM_GZIP_LEVEL = 1;

/** What the edge middleware (`runtime/app.ts`) knows of a request before its route runs. */
export interface Edge {
  requestId: string;
  /** `performance.now()` when the request reached the app. */
  startedAt: number;
  /** CORS response headers for this request's `Origin` (null: same-origin or not allowed). */
  cors: Record<string, string> | null;
  /** The client accepts gzip. */
  gzip: boolean;
  /** Set by `respond` when it built the whole response (the edge middleware then leaves it alone). */
  done: boolean;
}

type NodeEnv = { incoming?: IncomingMessage; outgoing?: ServerResponse };

/** The request's Node objects when served by @hono/node-server (undefined for `app.request` in tests). */
export const nodeOf = (c: Context): NodeEnv => (c.env as NodeEnv | undefined) ?? {};

/** A request header, read from Node's parsed headers when available (a web `Headers` copy costs per request). */
export function headerOf(c: Context, name: string): string | undefined {
  const incoming = nodeOf(c).incoming;
  if (incoming) {
    const v = incoming.headers[name];
    return Array.isArray(v) ? v.join(", ") : v;
  }
  return c.req.header(name);
}

/** Accept-Encoding allows gzip (no q=0). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  const m = /(?:^|,)\s*(gzip|\*)\s*(?:;\s*q\s*=\s*([\d.]+))?/i.exec(header);
  return !!m && (m[2] === undefined || Number(m[2]) > 0);
}

/** The headers every response of ours carries (request id, processing time, CORS). */
export function edgeHeaders(edge: Edge, contentType: string | null): Record<string, string> {
  const h: Record<string, string> = {
    ...edge.cors,
    "X-Request-Id": edge.requestId,
    "X-Process-Time": ((performance.now() - edge.startedAt) / 1000).toFixed(3),
  };
  if (contentType) h["Content-Type"] = contentType;
  return h;
}

const JSON_TYPE = "application/json; charset=utf-8";
const varyOf = (edge: Edge) => (edge.cors?.Vary ? `${edge.cors.Vary}, Accept-Encoding` : "Accept-Encoding");

/**
 * A complete JSON response from data (serialized here), a `JsonBody` (bytes as they are) or nothing (`null`:
 * empty body). Large bodies are gzipped in the thread pool when the client accepts it.
 */
export async function respondJson(_c: Context, edge: Edge, status: number, out: unknown): Promise<Response> {
  edge.done = true;
  if (out === null || out === undefined || status === 204 || status === 304)
    return new Response(null, { status, headers: edgeHeaders(edge, null) });
  const parts = out instanceof JsonBody ? out.parts : [Buffer.from(JSON.stringify(out), "utf8")];
  return bytesResponse(edge, status, parts);
}

async function bytesResponse(
  edge: Edge,
  status: number,
  parts: readonly Uint8Array[],
  memo?: { memo: ResponseMemo; key: string },
): Promise<Response> {
  let body: Uint8Array = parts.length === 1 ? parts[0] : Buffer.concat(parts);
  const large = body.byteLength >= GZIP_MIN_BYTES;
  const gzipped = large && edge.gzip;
  if (gzipped) body = await gzipAsync(body);
  const entry = { body, gzipped, large };
  memo?.memo.set(memo.key, entry);
  return memoResponse(edge, status, entry);
}

function memoResponse(edge: Edge, status: number, entry: MemoEntry): Response {
  const headers = edgeHeaders(edge, JSON_TYPE);
  if (entry.large) headers.Vary = varyOf(edge);
  if (entry.gzipped) headers["Content-Encoding"] = "gzip";
  headers["Content-Length"] = String(entry.body.byteLength);
  return new Response(entry.body as Uint8Array<ArrayBuffer>, { status, headers });
}

interface MemoEntry {
  body: Uint8Array;
  gzipped: boolean;
  /** Over the gzip threshold (answers then vary on Accept-Encoding). */
  large: boolean;
}

/**
 * Recent streamed answers by memo key (`JsonStream.memoKey`) and encoding, bounded in bytes and entries, least
 * recently used out first: thousands of browsers polling the same unchanged list cost one serialization and one
 * compression, then a copy each. Correctness rests on the key (it changes whenever the bytes would).
 */
export class ResponseMemo {
  private readonly entries = new Map<string, MemoEntry>();
  private bytes = 0;

  constructor(
    readonly maxBytes = 32 * 1024 * 1024,
    readonly maxEntryBytes = 4 * 1024 * 1024,
    readonly maxEntries = 64,
  ) {}

  get(key: string): MemoEntry | undefined {
    const e = this.entries.get(key);
    if (e) {
      this.entries.delete(key);
      this.entries.set(key, e);
    }
    return e;
  }

  set(key: string, entry: MemoEntry): void {
    if (entry.body.byteLength > this.maxEntryBytes) return;
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.bytes -= old.body.byteLength;
    }
    this.entries.set(key, entry);
    this.bytes += entry.body.byteLength;
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.maxBytes && this.entries.size <= this.maxEntries) break;
      this.entries.delete(k);
      this.bytes -= e.body.byteLength;
    }
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }
}

/**
 * A streamed JSON body. A body that ends within its first chunk is sent whole (with a length); a longer one is
 * written chunk by chunk straight to the Node response (gzip in the thread pool when accepted), pulling the next
 * chunk only once the socket took the previous one: memory stays at a chunk or two whatever the list's size, and
 * the event loop is free between chunks. Resolves once the last byte was handed to the socket (or the client left).
 */
export async function respondStream(c: Context, edge: Edge, stream: JsonStream, memo?: ResponseMemo): Promise<Response> {
  edge.done = true;
  const { source, status } = stream;
  const memoKey = memo && stream.memoKey ? `${stream.memoKey}|${edge.gzip ? "gzip" : "identity"}` : null;
  const hit = memoKey ? memo!.get(memoKey) : undefined;
  if (hit) {
    source.close();
    return memoResponse(edge, status, hit);
  }
  const keep = memoKey ? { memo: memo!, key: memoKey } : undefined;
  let closed = false;
  const close = () => {
    if (!closed) {
      closed = true;
      source.close();
    }
  };
  let handedOff = false;
  try {
    const first = await source.next();
    const second = first === null ? null : await source.next();
    const outgoing = nodeOf(c).outgoing;
    if (second === null) {
      close();
      return bytesResponse(edge, status, first ? [first] : [Buffer.from("[]")], keep);
    }
    if (!outgoing) {
      handedOff = true; // the web stream closes the source when it ends or is cancelled
      return webStream(edge, status, source, [first!, second], close);
    }
    const headers = edgeHeaders(edge, JSON_TYPE);
    headers.Vary = varyOf(edge);
    if (edge.gzip) headers["Content-Encoding"] = "gzip";
    outgoing.writeHead(status, headers);
    const kept = await pump(outgoing, source, [first!, second], edge.gzip, keep ? keep.memo.maxEntryBytes : 0);
    if (kept && keep) keep.memo.set(keep.key, { body: kept, gzipped: edge.gzip, large: true });
    return RESPONSE_ALREADY_SENT;
  } finally {
    if (!handedOff) close();
  }
}

/**
 * Writes chunks to the Node response (through gzip when asked), each only after the previous one drained.
 * Returns the bytes sent when they came to at most `keepBytes` and the client took them all (for the memo).
 */
async function pump(res: ServerResponse, source: JsonChunks, head: Uint8Array[], gzip: boolean, keepBytes: number): Promise<Buffer | null> {
  // A 1 MiB input buffer: the next chunk is produced while zlib (in the thread pool) compresses the last one.
  const gz = gzip
    ? createGzip({
        level: STREAM_GZIP_LEVEL,
        chunkSize: 64 * 1024,
        flush: zlibConstants.Z_NO_FLUSH,
        writableHighWaterMark: 1024 * 1024,
      } as ZlibOptions)
    : null;
  const sink = gz ?? res;
  let kept: Uint8Array[] | null = keepBytes > 0 ? [] : null;
  let keptBytes = 0;
  const keep = (chunk: Uint8Array) => {
    if (!kept) return;
    keptBytes += chunk.byteLength;
    if (keptBytes > keepBytes) kept = null;
    else kept.push(chunk);
  };
  if (gz) {
    gz.on("data", keep);
    gz.pipe(res);
    gz.on("error", (err) => res.destroy(err));
  }
  let gone = false;
  // The client left before the whole body was handed over (a close after 'finish' is the normal end).
  const onClose = () => {
    if (!res.writableFinished) gone = true;
  };
  res.once("close", onClose);
  const drained = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        sink.off("drain", done);
        res.off("close", done);
        resolve();
      };
      sink.on("drain", done);
      res.on("close", done);
    });
  try {
    const pending = [...head];
    for (;;) {
      const chunk = pending.length ? pending.shift()! : await source.next();
      if (chunk === null || gone) break;
      if (!gz) keep(chunk);
      if (!sink.write(chunk)) await drained();
      if (gone) break;
    }
    if (gone) {
      gz?.destroy();
      return null;
    }
    await new Promise<void>((resolve) => {
      res.once("finish", resolve);
      res.once("close", resolve);
      sink.end();
    });
    return gone || !res.writableFinished || !kept ? null : Buffer.concat(kept);
  } catch (err) {
    // Headers are out: the only honest signal left is a cut connection (never a truncated "complete" body).
    gz?.destroy();
    res.destroy(err as Error);
    throw err;
  } finally {
    res.off("close", onClose);
  }
}

/** Without Node objects (`app.request` in tests): the same stream as a web ReadableStream. */
function webStream(edge: Edge, status: number, source: JsonChunks, head: Uint8Array[], close: () => void): Response {
  const pending = [...head];
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const chunk = pending.length ? pending.shift()! : await source.next();
      if (chunk === null) {
        close();
        controller.close();
      } else controller.enqueue(chunk);
    },
    cancel: close,
  });
  const headers = edgeHeaders(edge, JSON_TYPE);
  return new Response(
    edge.gzip ? body.pipeThrough(new CompressionStream("gzip") as unknown as ReadableWritablePair<Uint8Array, Uint8Array>) : body,
    {
      status,
      headers: { ...headers, Vary: varyOf(edge), ...(edge.gzip ? { "Content-Encoding": "gzip" } : {}) },
    },
  );
}
