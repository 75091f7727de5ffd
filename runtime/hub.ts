// The realtime adapter: the only crossws code. It mounts socket definitions (functions/ws/*) on the HTTP server's
// upgrade path, adapts crossws peers to `SocketConnection`, and owns the hub's lifecycle. No domain rule here.
import crossws from "crossws/adapters/node";
import type { Peer } from "crossws";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { Deps } from "../lib/function.ts";
import { AppError } from "../lib/errors.ts";
import { Hub, type HubOptions } from "../lib/events/hub.ts";
import { MAX_CLIENT_FRAME_BYTES } from "../lib/events/client-messages.ts";
import type { AnySocketDef, MessageBatch, SocketConnection, SocketCtx } from "../lib/events/socket.ts";
import { originPolicy } from "./cors.ts";

export interface Realtime {
  hub: Hub;
  /** Attach as `server.on("upgrade", realtime.handleUpgrade)`. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Closes every socket with 1001 and waits (up to `graceMs`) for them to go; the rest are terminated. */
  close(graceMs?: number): Promise<void>;
}

// crossws' node peer keeps the `ws` socket here; the public `peer.websocket` is a Proxy that would tax every send.
type RawSocket = {
  send(data: string | Buffer, opts: { binary: boolean }): void;
  bufferedAmount: number;
  readyState: number;
  _socket?: { write(chunk: Buffer): boolean; writable: boolean };
  close(code: number, reason: string): void;
  terminate(): void;
};
const rawSocketOf = (peer: Peer): RawSocket =>
  (peer as unknown as { _internal?: { ws?: RawSocket } })._internal?.ws ?? (peer.websocket as unknown as RawSocket);

/**
 * A server-to-client text frame (unmasked, FIN, opcode 1) around `payload`. Server frames are the same bytes for
 * every peer when permessage-deflate is off, so a broadcast builds one frame and writes it to every socket.
 */
function textFrame(payload: Buffer): Buffer {
  const n = payload.length;
  const headerLength = n < 126 ? 2 : n < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + n);
  frame[0] = 0x81;
  if (n < 126) frame[1] = n;
  else if (n < 65536) {
    frame[1] = 126;
    frame.writeUInt16BE(n, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(n / 2 ** 32), 2);
    frame.writeUInt32BE(n >>> 0, 6);
  }
  payload.copy(frame, headerLength);
  return frame;
}
const frames = new WeakMap<Buffer, Buffer>();
const frameOf = (data: Buffer): Buffer => {
  let frame = frames.get(data);
  if (!frame) frames.set(data, (frame = textFrame(data)));
  return frame;
};
/** A batch's frames back to back, built once per batch object (the hub hands the same batch to many sockets). */
const batches = new WeakMap<MessageBatch, Buffer>();
const framesOf = (batch: MessageBatch): Buffer => {
  let bytes = batches.get(batch);
  if (!bytes)
    batches.set(batch, (bytes = batch.messages.length === 1 ? frameOf(batch.messages[0]) : Buffer.concat(batch.messages.map(frameOf))));
  return bytes;
};
const OPEN = 1;

function connectionOf(peer: Peer): SocketConnection {
  const ws = rawSocketOf(peer);
  return {
    send(data) {
      // note: writing whole frames straight to the TCP socket is safe because permessage-deflate is off: `ws`
      // then never queues frames of its own (its sender writes synchronously), so frames cannot interleave.
      if (typeof data === "string" || !ws._socket || ws.readyState !== OPEN) return ws.send(data, { binary: false });
      ws._socket.write(frameOf(data));
    },
    sendBatch(batch) {
      if (!ws._socket || ws.readyState !== OPEN) {
        for (const m of batch.messages) ws.send(m, { binary: false });
        return;
      }
      // One write for the whole batch: several frames, one syscall (the same bytes for every socket of a fan-out).
      ws._socket.write(framesOf(batch));
    },
    bufferedBytes: () => ws.bufferedAmount,
    waitForDrain: (threshold) => peer.waitForDrain({ threshold, pollInterval: 20 }),
    close: (code, reason) => ws.close(code, reason),
    terminate: () => ws.terminate(),
  };
}

const errorResponse = (err: AppError) =>
  new Response(JSON.stringify({ detail: err.detail }), {
    status: err.status,
    statusText:
      (
        { 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 429: "Too Many Requests", 503: "Service Unavailable" } as Record<
          number,
          string
        >
      )[err.status] ?? "",
    headers: { "content-type": "application/json", ...err.headers },
  });

export interface RealtimeOptions extends Partial<HubOptions> {
  /** crossws' protocol-level ping: a peer silent for this long (no pong, no message) is terminated. Default 30. */
  idleTimeoutSec?: number;
  /** Overrides every socket definition's sweep interval (tests). */
  sweepIntervalMs?: number;
}

export function createRealtime(deps: Deps, defs: readonly AnySocketDef[], opts: RealtimeOptions = {}): Realtime {
  const { idleTimeoutSec = 30, sweepIntervalMs, ...hubOptions } = opts;
  const { config } = deps;
  const hub = new Hub(deps.db, deps.log, {
    maxSocketsPerUser: config.wsMaxSocketsPerUser,
    maxConcurrentReplays: config.wsMaxReplays,
    maxBufferedBytes: config.wsSendBufferBytes,
    maxTotalBufferedBytes: config.wsTotalBufferBytes,
    ...hubOptions,
  });
  const origins = originPolicy(deps.config.corsOrigins);
  const ctx: SocketCtx = { deps, hub };
  const byPath = new Map<string, AnySocketDef>();
  for (const def of defs) {
    byPath.set(def.path, def);
    byPath.set(`${def.path}/`, def);
  }
  type Live = { def: AnySocketDef; conn: SocketConnection; context: unknown };
  const live = new Map<Peer, Live>();

  const ws = crossws({
    // idleTimeout stays on (30 s, crossws' default): protocol pings, and half-open sockets are terminated.
    idleTimeout: Math.max(1, idleTimeoutSec),
    serverOptions: { maxPayload: MAX_CLIENT_FRAME_BYTES, perMessageDeflate: false },
    hooks: {
      async upgrade(request) {
        const def = byPath.get(new URL(request.url).pathname);
        if (!def) return errorResponse(new AppError(404, "Not Found"));
        // A browser page may open a socket only from an origin CORS allows (no Origin: not a browser, allowed).
        if (!origins.allows(request.headers.get("origin"), request.headers.get("host")))
          return errorResponse(new AppError(403, "Origem não permitida"));
        try {
          const accepted = await def.upgrade(ctx, request);
          return { context: { def, value: accepted.context }, ...(accepted.protocol ? { protocol: accepted.protocol } : {}) };
        } catch (err) {
          if (err instanceof AppError) return errorResponse(err);
          deps.log.error({ err }, "websocket upgrade failed");
          return errorResponse(new AppError(500, "Erro interno do servidor"));
        }
      },
      async open(peer) {
        const { def, value } = peer.context as { def: AnySocketDef; value: unknown };
        const entry: Live = { def, conn: connectionOf(peer), context: value };
        live.set(peer, entry);
        try {
          await def.open(ctx, entry.conn, value);
        } catch (err) {
          deps.log.error({ err }, "websocket open failed");
          entry.conn.terminate();
        }
      },
      async message(peer, message) {
        const entry = live.get(peer);
        if (!entry) return;
        const raw = message.rawData;
        try {
          await entry.def.message(ctx, entry.conn, entry.context, typeof raw === "string" ? raw : null);
        } catch (err) {
          deps.log.error({ err }, "websocket message failed");
        }
      },
      close(peer) {
        const entry = live.get(peer);
        live.delete(peer);
        if (entry) entry.def.close(ctx, entry.conn, entry.context);
      },
      error(_peer, err) {
        // A reset by the client, mostly; `close` follows and cleans up.
        deps.log.debug({ err }, "websocket error");
      },
    },
  });
  hub.start();
  const sweepers = defs.flatMap((def) => {
    const sweep = def.sweep;
    if (!sweep) return [];
    let running = false;
    const timer = setInterval(() => {
      if (running) return; // one run at a time; the next tick catches up
      running = true;
      const open = [...live.values()].filter((e) => e.def === def).map((e) => ({ conn: e.conn, context: e.context }));
      sweep
        .run(ctx, open)
        .catch((err: unknown) => deps.log.error({ err }, "websocket sweep failed"))
        .finally(() => (running = false));
    }, sweepIntervalMs ?? sweep.intervalMs);
    timer.unref();
    return [timer];
  });

  return {
    hub,
    handleUpgrade(req, socket, head) {
      // Node removes its own error listener from an upgrade socket, and `ws` adds one only after the (async) auth:
      // a client reset meanwhile, or the refusal written to a dead socket, would be an uncaught exception.
      socket.on("error", (err) => deps.log.debug({ err }, "websocket upgrade socket error"));
      ws.handleUpgrade(req, socket, head).catch((err: unknown) => {
        deps.log.error({ err }, "websocket upgrade crashed");
        socket.destroy();
      });
    },
    async close(graceMs = 2_000) {
      for (const t of sweepers) clearInterval(t);
      await hub.flush(graceMs);
      hub.close(1001, "Servidor reiniciando");
      for (const entry of live.values()) entry.conn.close(1001, "Servidor reiniciando");
      const deadline = Date.now() + graceMs;
      while (live.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      if (live.size > 0) ws.closeAll(1001, "Servidor reiniciando", true);
    },
  };
}
