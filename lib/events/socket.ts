import type { Deps } from "../function.ts";
import type { Hub } from "./hub.ts";

/**
 * Several messages for one socket, sent as one write (one frame each; the protocol stays one JSON message per
 * frame). The hub builds one batch per fan-out and hands the same object to every socket that gets exactly these
 * messages: the runtime frames it once (memoized per batch object) and writes the same bytes to each.
 */
export interface MessageBatch {
  readonly messages: readonly Buffer[];
}

/** One open socket, as the runtime hands it to the hub and to socket definitions (no crossws types leak out). */
export interface SocketConnection {
  /** Sends one text frame (a Buffer holds UTF-8 text; the hub shares one Buffer between all peers). */
  send(data: string | Buffer): void;
  /** Sends a batch's messages, in order, in one write. */
  sendBatch(batch: MessageBatch): void;
  /** Bytes queued for this socket and not yet written to the kernel. */
  bufferedBytes(): number;
  /** Resolves once at most `thresholdBytes` are queued (or the socket closed). */
  waitForDrain(thresholdBytes: number): Promise<void>;
  close(code: number, reason: string): void;
  /** Drops the socket at once, without a close handshake. */
  terminate(): void;
}

export interface SocketCtx {
  deps: Deps;
  hub: Hub;
}

/** What `upgrade` accepts: the per-connection context and, if the client offered one, the subprotocol to echo. */
export interface Accepted<C> {
  context: C;
  protocol?: string;
}

/**
 * A WebSocket endpoint as plain data (like `defineFunction`): the runtime mounts it on the HTTP server's upgrade
 * path. `upgrade` runs BEFORE the handshake: throwing an `AppError` answers that HTTP status and no socket opens.
 */
export interface SocketDef<C = unknown> {
  path: string;
  upgrade(ctx: SocketCtx, request: Request): Promise<Accepted<C>>;
  open(ctx: SocketCtx, conn: SocketConnection, context: C): void | Promise<void>;
  /** `text` is null for a binary frame. */
  message(ctx: SocketCtx, conn: SocketConnection, context: C, text: string | null): void | Promise<void>;
  close(ctx: SocketCtx, conn: SocketConnection, context: C): void;
  /** Optional periodic check over every open connection of this endpoint (one run at a time). */
  sweep?: {
    intervalMs: number;
    run(ctx: SocketCtx, open: readonly { conn: SocketConnection; context: C }[]): Promise<void>;
  };
}

/** Endpoints of every context type, in one list (the runtime's registry). */
// biome-ignore lint/suspicious/noExplicitAny: each definition keeps its own context type
export type AnySocketDef = SocketDef<any>;

/** Declares a socket endpoint. An identity function: it only pins the types. */
export function defineSocket<C>(def: SocketDef<C>): SocketDef<C> {
  return def;
}
