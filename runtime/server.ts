import { serve } from "@hono/node-server";
import type { Server } from "node:http";
import type { Duplex } from "node:stream";
import type { AddressInfo } from "node:net";
import type { Config } from "../lib/config.ts";
import type { AnyFunctionDef, Deps } from "../lib/function.ts";
import { createLogger, type Logger } from "../lib/log.ts";
import { openConfiguredDatabase, type Db } from "../lib/db/connection.ts";
import { migrate } from "../lib/db/migrate.ts";
import { openMediaStore } from "../lib/media/store.ts";
import { DAY_MS, sweepTmp } from "../lib/media/sweep.ts";
import { TokenService } from "../lib/auth/tokens.ts";
import { bootstrapAdmin } from "../lib/auth/bootstrap.ts";
import { createAuthState } from "../lib/auth/state.ts";
import { installOrderHooks } from "../lib/orders/hooks.ts";
import { prepareSync, startSync } from "../lib/sync/index.ts";
import { refreshOrderJson } from "../lib/orders/stored.ts";
import { createApp } from "./app.ts";
import { functions as allFunctions } from "./functions.gen.ts";
import { createRealtime, type Realtime, type RealtimeOptions } from "./hub.ts";
import ordersSocket from "../functions/ws/orders.ts";
import { analyzeDatabase, optimizeDatabase } from "../lib/ops/maintenance.ts";
import { assertWritable, createOpsState, StartupError } from "../lib/ops/health.ts";
import { createMetrics, registerCoreMetrics } from "../lib/ops/metrics.ts";
import { registerSyncMetrics } from "../lib/sync/metrics.ts";
import { startSchedules, type ScheduleOptions, type Scheduler } from "../lib/ops/schedule.ts";
import { removeServerMarker, writeServerMarker } from "../lib/ops/marker.ts";

/**
 * Listens on `config.port`/`config.host`; the usual failures become one line naming the setting
 * (`PORT 8000 já está em uso`), not a stack trace.
 */
function listen(fetch: (req: Request) => Response | Promise<Response>, config: Config): Promise<Server> {
  return new Promise<Server>((resolveServer, reject) => {
    const s = serve({ fetch, port: config.port, hostname: config.host }, () => resolveServer(s as Server)) as Server;
    s.once("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EADDRINUSE")
        reject(
          new StartupError(`PORT ${config.port} já está em uso (outro SGP ou outro programa escuta nessa porta; pare-o ou mude PORT)`),
        );
      else if (err.code === "EACCES")
        reject(
          new StartupError(
            `PORT ${config.port}: sem permissão para escutar nessa porta (use uma acima de 1024 ou rode como administrador)`,
          ),
        );
      else if (err.code === "EADDRNOTAVAIL" || err.code === "ENOTFOUND" || err.code === "EAI_AGAIN")
        reject(new StartupError(`HOST ${config.host} não é um endereço desta máquina (${err.code})`));
      else reject(err);
    });
  });
}

export interface RunningServer {
  port: number;
  /** `http://127.0.0.1:<port>` (or the bound host). */
  url: string;
  deps: Deps;
  /** Scheduled backups and maintenance of this process (null for a `--workers` worker or `schedule: false`). */
  schedules: Scheduler | null;
  /** The realtime hub (its `delivered`/`dropped` counters, its bounds), for metrics and tests. */
  realtime: Realtime;
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), closes sockets, closes the database. */
  close(graceMs?: number): Promise<void>;
}

/** SQLite's own words for a file it cannot open or write, turned into one line naming the setting. */
const databaseFault = (config: Config, err: unknown): Error => {
  if (err instanceof StartupError) return err;
  // A write error arrives wrapped (UnavailableError keeps SQLite's own error as `causeError`).
  const inner = (err as { causeError?: unknown }).causeError ?? err;
  const code = (inner as { code?: string }).code ?? "";
  if (
    /SQLITE_(READONLY|CANTOPEN|PERM|IOERR|FULL|NOTADB|CORRUPT)|EACCES|EPERM|EROFS|ENOSPC/.test(
      `${code} ${String((inner as Error)?.message)}`,
    )
  ) {
    return new StartupError(`DATABASE_URL: não foi possível abrir ou gravar o banco ${config.databasePath} (${(inner as Error).message})`);
  }
  return err as Error;
};

/**
 * Opens the shared services: database (migrated, analysed after migrations, optimised), media root, tokens, bootstrap
 * admin. A database or media folder that cannot be written stops here with one line (lib/ops/health.ts).
 */
export function openDeps(config: Config, log: Logger, routes: readonly AnyFunctionDef[]): Deps {
  let db: Db;
  try {
    db = openConfiguredDatabase(config);
  } catch (err) {
    throw databaseFault(config, err);
  }
  // The effects that commit with every order write (stock, …) ride on its events: installed before any write.
  installOrderHooks(db, config);
  try {
    const report = migrate(db, log);
    if (report.applied.length) {
      log.info(report, "database migrated");
      analyzeDatabase(db, log);
    }
    // Orders whose rows changed without their events (a later migration, say) get their stored wire JSON back.
    refreshOrderJson(db, log);
    prepareSync(db, config, log); // before the first write: a fresh database's first events reach the sinks
    bootstrapAdmin(db, log, config.adminUser, config.adminPassword);
    optimizeDatabase(db, log);
    assertWritable(db, config);
  } catch (err) {
    db.close();
    throw databaseFault(config, err);
  }
  return {
    db,
    log,
    config,
    media: openMediaStore(config.mediaRoot, { secret: config.secretKey }),
    tokens: new TokenService(config.secretKey, config.tokenTtlMinutes),
    auth: createAuthState(db),
    routes,
    stats: { peers: () => 0, eventsDelivered: () => 0, eventsDropped: () => 0, lastPublishedEventId: () => 0 },
    metrics: createMetrics(),
    ops: createOpsState(db, config.mediaRoot),
  };
}

export interface StartOptions {
  log?: Logger;
  functions?: readonly AnyFunctionDef[];
  realtime?: RealtimeOptions;
  /**
   * `single` (default): this process owns the database: it writes the "server running" marker and runs the
   * scheduled backups and maintenance. `worker`: one of `--workers N`; the primary does those.
   */
  role?: "single" | "worker";
  /** Overrides for the schedules (tests); `false` turns them off. */
  schedule?: Partial<Omit<ScheduleOptions, "db" | "log" | "config">> | false;
  /** prom-client's process metrics (CPU, memory, event-loop delay, GC). Default on. */
  processMetrics?: boolean;
}

/**
 * Starts SGP on `config.port` (0 = a random free port): HTTP and, on the same port, the realtime hub.
 * No domain rule lives here: it wires, listens and stops.
 */
export async function startServer(config: Config, opts: StartOptions = {}): Promise<RunningServer> {
  const log = opts.log ?? createLogger(config.logLevel);
  const defs = opts.functions ?? allFunctions;
  const role = opts.role ?? "single";
  const deps = openDeps(config, log, defs);
  deps.metrics = createMetrics({
    processMetrics: opts.processMetrics ?? true,
    defaultLabels: role === "worker" ? { pid: process.pid } : undefined,
  });
  // Servers sharing a remote primary hear each other's commits only from the event log (as `--workers` do).
  const realtime = createRealtime(deps, [ordersSocket], deps.db.remote ? { source: "log", ...opts.realtime } : opts.realtime);
  const counters = realtime.hub;
  deps.stats.peers = () => realtime.hub.size;
  deps.stats.eventsDelivered = () => counters.delivered;
  deps.stats.eventsDropped = () => counters.dropped;
  deps.stats.lastPublishedEventId = () => counters.lastPublished;
  registerCoreMetrics(deps.metrics, { db: deps.db, version: config.version, backupEveryMs: config.backupEveryMs, ...deps.stats });
  registerSyncMetrics(deps.metrics, deps.db, config);
  // A write's response waits until its events were handed to the live sockets (they hear of it first).
  const app = createApp(deps, defs, { settle: (since) => realtime.hub.settled(since), commitMark: () => realtime.hub.commitMark });

  let server: Server;
  try {
    server = await listen(app.fetch, config);
  } catch (err) {
    await realtime.close(0).catch(() => {});
    deps.db.close();
    throw err;
  }
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
    sweeping ??= sweepTmp(deps, DAY_MS)
      .then(
        () => {},
        (err) => log.warn({ err }, "media sweep failed"),
      )
      .finally(() => (sweeping = null));
  };
  sweep();
  const sweepTimer = setInterval(sweep, 3_600_000);
  sweepTimer.unref();
  // Delivery to outside systems (lib/sync): after COMMIT, off the request path; inert when no sink is configured.
  const sync = startSync(deps);
  // Backups and daily maintenance: one process per database (a `--workers` primary runs its own, see runtime/cli).
  let scheduler: Scheduler | null = null;
  if (role === "single") {
    writeServerMarker(config.databasePath, {
      pid: process.pid,
      port,
      host: config.host,
      version: config.version,
      startedAt: new Date().toISOString(),
    });
    if (opts.schedule !== false) scheduler = startSchedules({ db: deps.db, log, config, ...(opts.schedule ?? {}) });
  }

  let closing: Promise<void> | null = null;
  return {
    port,
    url: `http://${host}:${port}`,
    deps,
    schedules: scheduler,
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
        await sync.stop(Math.max(1_000, Math.min(5_000, deadline - Date.now())));
        await scheduler?.stop();
        if (role === "single") removeServerMarker(config.databasePath);
        deps.db.close();
        log.info("SGP stopped");
      })();
      return closing;
    },
  };
}
