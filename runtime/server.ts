import { serve } from "@hono/node-server";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdirSync } from "node:fs";
import type { Config } from "../lib/config.ts";
import type { AnyFunctionDef, Deps } from "../lib/function.ts";
import { createLogger, type Logger } from "../lib/log.ts";
import { openDatabase } from "../lib/db/connection.ts";
import { migrate } from "../lib/db/migrate.ts";
import { openMediaStore } from "../lib/media/store.ts";
import { TokenService } from "../lib/auth/tokens.ts";
import { bootstrapAdmin } from "../lib/auth/bootstrap.ts";
import { createApp } from "./app.ts";
import { functions as allFunctions } from "./functions.gen.ts";

export interface RunningServer {
  port: number;
  /** `http://127.0.0.1:<port>` (or the bound host). */
  url: string;
  deps: Deps;
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), closes sockets, closes the database. */
  close(graceMs?: number): Promise<void>;
}

/** Opens the shared services: database (migrated), media root, tokens, bootstrap admin. */
export function openDeps(config: Config, log: Logger, routes: readonly AnyFunctionDef[]): Deps {
  const db = openDatabase(config.databasePath);
  try {
    const report = migrate(db, log);
    if (report.applied.length) log.info(report, "database migrated");
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
    media: openMediaStore(config.mediaRoot),
    tokens: new TokenService(config.secretKey, config.tokenTtlMinutes),
    routes,
    stats: { peers: () => 0 },
  };
}

/**
 * Starts SGP on `config.port` (0 = a random free port): HTTP and, on the same port, the realtime hub.
 * No domain rule lives here: it wires, listens and stops.
 */
export async function startServer(config: Config, opts: { log?: Logger; functions?: readonly AnyFunctionDef[] } = {}): Promise<RunningServer> {
  const log = opts.log ?? createLogger(config.logLevel);
  const defs = opts.functions ?? allFunctions;
  const deps = openDeps(config, log, defs);
  const app = createApp(deps, defs);

  const server = await new Promise<Server>((resolveServer, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolveServer(s as Server)) as Server;
    s.once("error", reject);
  });
  // note: keep-alive sockets idle longer than the client's 10 s timeout are useless; close them sooner.
  server.keepAliveTimeout = 5_000;
  const port = (server.address() as AddressInfo).port;
  const host = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host;
  log.info({ port, host: config.host, database: config.databasePath, media: config.mediaRoot }, "SGP listening");

  let closing: Promise<void> | null = null;
  return {
    port,
    url: `http://${host}:${port}`,
    deps,
    close(graceMs = 10_000) {
      closing ??= (async () => {
        await new Promise<void>((done) => {
          const force = setTimeout(() => server.closeAllConnections(), graceMs);
          server.close(() => {
            clearTimeout(force);
            done();
          });
          server.closeIdleConnections();
        });
        deps.db.close();
        log.info("SGP stopped");
      })();
      return closing;
    },
  };
}
