import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { readFile } from "node:fs/promises";
import type { Logger } from "../log.ts";

/**
 * Thumbnails for the MySQL mirror's `pwa_pedido_imagens`: at most 300×300 (aspect kept, never enlarged), JPEG
 * quality 60, base64 — the original's, made with jimp (pure JS: it bundles into the one server file, no native
 * binary or download step). Transparent pixels go on white (a JPEG has no alpha).
 * Decoding a 12-megapixel photo in pure JS takes a second or two of CPU, so it never runs on the main thread: one
 * worker thread, started on first use and stopped when idle, does it, one image at a time, each with a time limit
 * (requests never wait behind a thumbnail).
 * jimp reads PNG, JPEG, GIF and BMP; a WebP image (which we accept) gets no thumbnail.
 */
export const THUMBNAIL_SIZE = 300;
export const THUMBNAIL_QUALITY = 60;
/** Bigger images are not decoded (an RGBA bitmap of 40 MP is 160 MB). */
export const MAX_THUMBNAIL_PIXELS = 40_000_000;
/** The base64 must fit a MySQL TEXT column (65,535 bytes): a busy image is re-encoded at a lower quality. */
export const MAX_THUMBNAIL_BASE64 = 65_535;
const FALLBACK_QUALITIES = [THUMBNAIL_QUALITY, 45, 30, 15];
const MAX_SOURCE_BYTES = 64 * 1024 * 1024;

const ROLE = "sgp-sync-thumbnailer";

export interface Thumbnail {
  base64: string;
  width: number;
  height: number;
}

/** Width and height from the file header (PNG, JPEG, GIF, BMP), or null for anything else. */
export function imageDimensions(b: Uint8Array): { width: number; height: number; type: string } | null {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  if (buf.length >= 24 && buf.readUInt32BE(0) === 0x89504e47 && buf.toString("latin1", 12, 16) === "IHDR") {
    return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20), type: "png" };
  }
  if (buf.length >= 10 && buf.toString("latin1", 0, 3) === "GIF") {
    return { width: buf.readUInt16LE(6), height: buf.readUInt16LE(8), type: "gif" };
  }
  if (buf.length >= 26 && buf[0] === 0x42 && buf[1] === 0x4d) {
    return { width: Math.abs(buf.readInt32LE(18)), height: Math.abs(buf.readInt32LE(22)), type: "bmp" };
  }
  if (buf.length >= 4 && buf[0] === 0xff && buf[1] === 0xd8) {
    // Walk the segments to the first start-of-frame (SOF0–SOF15 but DHT, JPG and DAC).
    let at = 2;
    while (at + 9 < buf.length) {
      if (buf[at] !== 0xff) return null;
      const marker = buf[at + 1];
      if (marker === 0xff) {
        at++;
        continue;
      }
      if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        at += 2;
        continue;
      }
      const len = buf.readUInt16BE(at + 2);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { width: buf.readUInt16BE(at + 7), height: buf.readUInt16BE(at + 5), type: "jpeg" };
      }
      if (len < 2) return null;
      at += 2 + len;
    }
  }
  return null;
}

/**
 * The thumbnail of an image's bytes. Runs jimp: call it off the main thread (the thumbnailer does).
 * @throws Error saying why (unsupported type, too many pixels, undecodable).
 */
export async function makeThumbnail(bytes: Uint8Array): Promise<Thumbnail> {
  const dims = imageDimensions(bytes);
  if (!dims) throw new Error("formato sem suporte para miniatura (apenas PNG, JPEG, GIF, BMP)");
  if (dims.width === 0 || dims.height === 0) throw new Error("imagem sem dimensões");
  if (dims.width * dims.height > MAX_THUMBNAIL_PIXELS)
    throw new Error(`imagem grande demais para miniatura (${dims.width}×${dims.height})`);
  const { Jimp } = await import("jimp");
  const image = await Jimp.fromBuffer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  if (image.width > THUMBNAIL_SIZE || image.height > THUMBNAIL_SIZE) image.scaleToFit({ w: THUMBNAIL_SIZE, h: THUMBNAIL_SIZE });
  const canvas = new Jimp({ width: image.width, height: image.height, color: 0xffffffff });
  canvas.composite(image, 0, 0);
  for (const quality of FALLBACK_QUALITIES) {
    const jpeg = await canvas.getBuffer("image/jpeg", { quality });
    const base64 = jpeg.toString("base64");
    if (base64.length <= MAX_THUMBNAIL_BASE64) return { base64, width: canvas.width, height: canvas.height };
  }
  throw new Error("miniatura grande demais mesmo com qualidade baixa");
}

// ---------------------------------------------------------------------------------------------------------------------
// The thread. When this module is the entry of a worker thread made by `createThumbnailer`, it serves jobs.

interface Job {
  id: number;
  path: string;
}
type Reply = { id: number; ok: true; thumbnail: Thumbnail } | { id: number; ok: false; error: string; missing?: boolean };

function serveThumbnails(): void {
  parentPort!.on("message", async (job: Job) => {
    let reply: Reply;
    try {
      const bytes = await readFile(job.path);
      if (bytes.length > MAX_SOURCE_BYTES) throw new Error("arquivo grande demais para miniatura");
      reply = { id: job.id, ok: true, thumbnail: await makeThumbnail(bytes) };
    } catch (err) {
      const code = (err as { code?: string }).code;
      reply = { id: job.id, ok: false, error: err instanceof Error ? err.message : String(err), missing: code === "ENOENT" };
    }
    parentPort!.postMessage(reply);
  });
}

if (!isMainThread && (workerData as { sgpRole?: string } | null)?.sgpRole === ROLE) serveThumbnails();

/** A failed thumbnail: `missing` when the file was not there (moved or deleted meanwhile). */
export class ThumbnailError extends Error {
  constructor(
    message: string,
    readonly missing = false,
  ) {
    super(message);
    this.name = "ThumbnailError";
  }
}

export interface Thumbnailer {
  /** The thumbnail of the image file at `absPath`. @throws ThumbnailError */
  thumbnail(absPath: string): Promise<Thumbnail>;
  /** Stops the thread (a job in progress fails). */
  close(): Promise<void>;
}

/**
 * The worker thread. From source (tsx: `npm start`, the tests) the thread loads this very file through tsx; in the
 * bundle it loads the bundle, whose entry starts no server off the main thread (`runtime/main.ts`).
 */
function spawnThread(): Worker {
  const self = import.meta.url;
  const data = { sgpRole: ROLE };
  if (/\.[cm]?ts$/.test(new URL(self).pathname)) {
    const api = typeof import.meta.resolve === "function" ? import.meta.resolve("tsx/esm/api") : "tsx/esm/api";
    const code = `import(${JSON.stringify(api)}).then((m) => m.tsImport(${JSON.stringify(self)}, ${JSON.stringify(self)}))`;
    return new Worker(code, { eval: true, workerData: data, resourceLimits: { maxOldGenerationSizeMb: 512 } });
  }
  return new Worker(new URL(self), { workerData: data, resourceLimits: { maxOldGenerationSizeMb: 512 } });
}

/**
 * One thread, one job at a time (a queue, bounded by the callers: one delivery at a time), each job within
 * `timeoutMs` (the thread is restarted after a time-out or a crash).
 */
export function createThumbnailer(opts: { log?: Logger; timeoutMs?: number; idleMs?: number } = {}): Thumbnailer {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const idleMs = opts.idleMs ?? 60_000;
  let worker: Worker | null = null;
  let idle: NodeJS.Timeout | null = null;
  let nextId = 1;
  let closed = false;
  let chain: Promise<unknown> = Promise.resolve();
  const pending = new Map<number, { resolve(t: Thumbnail): void; reject(e: Error): void }>();

  const failAll = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  const stop = () => {
    const w = worker;
    worker = null;
    if (idle) clearTimeout(idle);
    idle = null;
    if (w) void w.terminate().catch(() => {});
  };
  const ensure = (): Worker => {
    if (worker) return worker;
    const w = spawnThread();
    w.unref();
    w.on("message", (r: Reply) => {
      const p = pending.get(r.id);
      if (!p) return;
      pending.delete(r.id);
      if (r.ok) p.resolve(r.thumbnail);
      else p.reject(new ThumbnailError(r.error, r.missing));
    });
    w.on("error", (err) => {
      opts.log?.warn({ err }, "sync thumbnail thread failed");
      if (worker === w) worker = null;
      failAll(new ThumbnailError(`falha na geração de miniatura: ${err.message}`));
    });
    w.on("exit", () => {
      if (worker === w) worker = null;
      failAll(new ThumbnailError("a geração de miniaturas parou"));
    });
    worker = w;
    return w;
  };

  const run = (absPath: string): Promise<Thumbnail> =>
    new Promise<Thumbnail>((resolve, reject) => {
      if (closed) return reject(new ThumbnailError("miniaturas encerradas"));
      if (idle) clearTimeout(idle);
      idle = null;
      const id = nextId++;
      const timer = setTimeout(() => {
        if (!pending.has(id)) return;
        pending.delete(id);
        reject(new ThumbnailError(`miniatura não gerada em ${timeoutMs} ms`));
        stop(); // the thread may be stuck in that image: start afresh
      }, timeoutMs);
      pending.set(id, {
        resolve: (t) => {
          clearTimeout(timer);
          resolve(t);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      try {
        ensure().postMessage({ id, path: absPath } satisfies Job);
      } catch (err) {
        pending.delete(id);
        clearTimeout(timer);
        reject(new ThumbnailError(`miniaturas indisponíveis: ${(err as Error).message}`));
      }
    }).finally(() => {
      if (pending.size === 0 && worker && !closed) {
        if (idle) clearTimeout(idle);
        idle = setTimeout(stop, idleMs);
        idle.unref();
      }
    });

  return {
    thumbnail(absPath) {
      // One at a time: the thread decodes one image at a time anyway, and this keeps memory to one bitmap.
      const p = chain.then(() => run(absPath));
      chain = p.catch(() => {});
      return p;
    },
    async close() {
      closed = true;
      failAll(new ThumbnailError("miniaturas encerradas"));
      stop();
    },
  };
}
