import { serve } from "@hono/node-server";
import type { Server } from "node:http";
import type { Duplex } from "node:stream";
import type { AddressInfo } from "node:net";
import { mkdirSync } from "node:fs";
import type { Config } from "../lib/config.ts";
import type { AnyFunctionDef, Deps } from "../lib/function.ts";
import { createLogger, type Logger } from "../lib/log.ts";
import { openDatabase } from "../lib/db/connection.ts";
import { migrate } from "../lib/db/migrate.ts";
import { openMediaStore } from "../lib/media/store.ts";
import { DAY_MS, sweepTmp } from "../lib/media/sweep.ts";
import { TokenService } from "../lib/auth/tokens.ts";
import { bootstrapAdmin } from "../lib/auth/bootstrap.ts";
import { createAuthState } from "../lib/auth/state.ts";
import { installOrderHooks } from "../lib/orders/hooks.ts";
import { refreshOrderJson } from "../lib/orders/stored.ts";
import { createApp } from "./app.ts";
import { functions as allFunctions } from "./functions.gen.ts";
import { createRealtime, type Realtime, type RealtimeOptions } from "./hub.ts";
import ordersSocket from "../functions/ws/orders.ts";

export interface RunningServer {
  port: number;
  /** `http://127.0.0.1:<port>` (or the bound host). */
  url: string;
  deps: Deps;
  /** The realtime hub (its `delivered`/`dropped` counters, its bounds), for metrics and tests. */
  realtime: Realtime;
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), closes sockets, closes the database. */
  close(graceMs?: number): Promise<void>;
}

/** Opens the shared services: database (migrated), media root, tokens, bootstrap admin. */
export function openDeps(config: Config, log: Logger, routes: readonly AnyFunctionDef[]): Deps {
  const db = openDatabase(config.databasePath);
  // The effects that commit with every order write (stock, …) ride on its events: installed before any write.
  installOrderHooks(db, config);
  try {
    const report = migrate(db, log);
    if (report.applied.length) log.info(report, "database migrated");
    // Orders whose rows changed without their events (a later migration, say) get their stored wire JSON back.
    refreshOrderJson(db, log);
    bootstrapAdmin(db, log, config.adminUser, config.adminPassword);
  } catch (err) {
    db.close();
    throw err;
  }
  mkdirSync(config.mediaRoot, { recursive: true });
  return {
    db,
    log,
    config,
    media: openMediaStore(config.mediaRoot, { secret: config.secretKey }),
    tokens: new TokenService(config.secretKey, config.tokenTtlMinutes),
    auth: createAuthState(),
    routes,
    stats: { peers: () => 0 },
  };
}

/**
 * Starts SGP on `config.port` (0 = a random free port): HTTP and, on the same port, the realtime hub.
 * No domain rule lives here: it wires, listens and stops.
 */
export async function startServer(config: Config, opts: { log?: Logger; functions?: readonly AnyFunctionDef[]; realtime?: RealtimeOptions } = {}): Promise<RunningServer> {
  const log = opts.log ?? createLogger(config.logLevel);
  const defs = opts.functions ?? allFunctions;
  const deps = openDeps(config, log, defs);
  const realtime = createRealtime(deps, [ordersSocket], opts.realtime);
  deps.stats.peers = () => realtime.hub.size;
  // A write's response waits until its events were handed to the live sockets (they hear of it first).
  const app = createApp(deps, defs, { settle: (since) => realtime.hub.settled(since), commitMark: () => realtime.hub.commitMark });

  const server = await new Promise<Server>((resolveServer, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolveServer(s as Server)) as Server;
    s.once("error", reject);
  });
  // Same port as HTTP: Node hands requests carrying `Upgrade:` to this event, never to Hono.
  server.on("upgrade", (req, socket, head) => realtime.handleUpgrade(req, socket, head));
  // Open HTTP connections (upgraded ones excluded) and in-flight requests: shutdown closes the sockets only once
  // no request can still commit.
  const httpConnections = new Set<Duplex>();
  server.on("connection", (socket: Duplex) => {
    httpConnections.add(socket);
    socket.once("close", () => httpConnections.delete(socket));
  });
  server.on("upgrade", (_req, socket: Duplex) => httpConnections.delete(socket));
  let inflight = 0;
  server.on("request", (_req, res) => {
    inflight++;
    res.once("close", () => inflight--);
  });
  // note: keep-alive sockets idle longer than the client's 10 s timeout are useless; close them sooner.
  server.keepAliveTimeout = 5_000;
  const port = (server.address() as AddressInfo).port;
  const host = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host;
  log.info({ pid: process.pid, port, host: config.host, database: config.databasePath, media: config.mediaRoot }, "SGP listening");
  // Stale pre-uploads and leftover staged images: swept at startup, then hourly (async file work only).
  let sweeping: Promise<void> | null = null;
  const sweep = () => {
    sweeping ??= sweepTmp(deps, DAY_MS).then(() => {}, (err) => log.warn({ err }, "media sweep failed")).finally(() => (sweeping = null));
  };
  sweep();
  const sweepTimer = setInterval(sweep, 3_600_000);
  sweepTimer.unref();

  let closing: Promise<void> | null = null;
  return {
    port,
    url: `http://${host}:${port}`,
    deps,
    realtime,
    close(graceMs = 10_000) {
      closing ??= (async () => {
        // 1. stop accepting connections;
        // 2. drain HTTP: every keep-alive connection is closed as soon as it is idle, and we wait until none is
        //    left (or the grace ends), so no request can still arrive and commit after the sockets are closed
        //    (waiting for "no request in flight" alone let one land on a kept-alive connection right after);
        //    each response already waited for its events to reach the sockets (`settled`);
        // 3. the hub delivers what is still queued, then closes every socket with 1001; 4. close the database.
        const deadline = Date.now() + graceMs;
        const httpClosed = new Promise<void>((done) => server.close(() => done()));
        while ((inflight > 0 || httpConnections.size > 0) && Date.now() < deadline) {
          server.closeIdleConnections();
          await new Promise((r) => setTimeout(r, 10));
        }
        server.closeAllConnections();
        await realtime.close(Math.max(100, Math.min(2_000, deadline - Date.now())));
        const force = setTimeout(() => server.closeAllConnections(), Math.max(0, deadline - Date.now()));
        server.closeIdleConnections();
        await httpClosed;
        clearTimeout(force);
        clearInterval(sweepTimer);
        await sweeping;
        deps.db.close();
        log.info("SGP stopped");
      })();
      return closing;
    },
  };
}
