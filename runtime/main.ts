// The process entry: `npm start` runs it with tsx; `node dist/sgp.mjs` runs its bundle.
// `--workers N` (or WORKERS=N): N processes share the port and the database file; each hub tails the event log,
// so every client gets every process's commits, in log order.
import cluster from "node:cluster";
import { isMainThread } from "node:worker_threads";
import { loadConfig, ConfigError, type Config } from "../lib/config.ts";
import { createLogger } from "../lib/log.ts";
import { openDeps, startServer } from "./server.ts";

function readConfig(): Config {
  const flag = process.argv.indexOf("--workers");
  const env = flag > 0 ? { ...process.env, WORKERS: process.argv[flag + 1] ?? "" } : process.env;
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
}

const SIGNALS = ["SIGINT", "SIGTERM", "SIGBREAK"] as const;

async function serveOne(config: Config, multi: boolean): Promise<void> {
  const running = await startServer(config, multi ? { realtime: { source: "log" } } : {});
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    running.deps.log.info({ signal }, "shutting down");
    running.close().then(
      () => process.exit(0),
      (err) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  for (const sig of SIGNALS) process.once(sig, () => stop(sig));
  // A worker is told to stop by its primary.
  process.on("message", (m) => m === "shutdown" && stop("primary"));
}

function supervise(config: Config): void {
  const log = createLogger(config.logLevel);
  // Migrations and the bootstrap admin run once, here, before any worker opens the file.
  openDeps(config, log, []).db.close();
  let stopping = false;
  let quickDeaths = 0;
  const bornAt = new Map<number, number>();
  const fork = () => bornAt.set(cluster.fork({ SGP_WORKER: "1" }).id, Date.now());
  for (let i = 0; i < config.workers; i++) fork();
  cluster.on("exit", (worker, code) => {
    if (stopping) return;
    // A worker that dies right after starting (a bad file, a taken port) is retried with a growing delay, not in a loop.
    quickDeaths = Date.now() - (bornAt.get(worker.id) ?? 0) < 5_000 ? quickDeaths + 1 : 0;
    bornAt.delete(worker.id);
    const delay = Math.min(30_000, 1_000 * 2 ** Math.max(0, quickDeaths - 1)) * (quickDeaths > 0 ? 1 : 0);
    log.error({ pid: worker.process.pid, code, restartInMs: delay }, "worker died; starting another");
    setTimeout(() => !stopping && fork(), delay);
  });
  for (const sig of SIGNALS) {
    process.once(sig, () => {
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.send("shutdown");
      const force = setTimeout(() => process.exit(1), 15_000);
      force.unref();
      cluster.on("exit", () => Object.keys(cluster.workers ?? {}).length === 0 && process.exit(0));
    });
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  if (config.workers > 1 && cluster.isPrimary) return supervise(config);
  await serveOne(config, config.workers > 1);
}

// The bundle is also the entry of the sync thumbnail thread (lib/sync/thumbnails.ts): no server starts off the main thread.
if (isMainThread) {
  main().catch((err) => {
    console.error(`SGP failed to start: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
