// `sgp serve [--workers N]` (the default command): the HTTP and realtime server, in one process or, with
// `--workers N`, in N processes (node:cluster) sharing the port and the database file. SIGINT (Ctrl+C, which is
// what the Windows service wrapper sends on stop), SIGTERM and SIGBREAK stop it gracefully.
import cluster from "node:cluster";
import type { Config } from "../../../lib/config.ts";
import { openLogger, type Logger } from "../../../lib/log.ts";
import { removeServerMarker, writeServerMarker } from "../../../lib/ops/marker.ts";
import { startSchedules } from "../../../lib/ops/schedule.ts";
import { openDeps, startServer, type RunningServer } from "../../server.ts";
import { defineCommand, type CommandCtx } from "../command.ts";

const SIGNALS = ["SIGINT", "SIGTERM", "SIGBREAK"] as const;
/** A worker that cannot start for a reason retrying will not fix (port in use, read-only database) tells its primary. */
type FatalMessage = { sgpFatal: string };

async function serveOne(config: Config, log: Logger, closeLog: () => Promise<void>, ctx: CommandCtx): Promise<"running"> {
  const worker = cluster.isWorker;
  let running: RunningServer;
  try {
    running = await startServer(config, { log, role: worker ? "worker" : "single", ...(worker ? { realtime: { source: "log" } } : {}) });
  } catch (err) {
    await closeLog();
    // A worker hands the one line to its primary, which prints it once for all of them and stops.
    if (worker && process.send) {
      process.send({ sgpFatal: (err as Error).message } satisfies FatalMessage, () => process.exit(1));
      return "running";
    }
    throw err;
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    running.deps.log.info({ signal }, "shutting down");
    running.close().then(
      () => closeLog().then(() => process.exit(0)),
      (err) => {
        ctx.warn(`SGP: erro ao parar: ${(err as Error).message}`);
        process.exit(1);
      },
    );
  };
  for (const sig of SIGNALS) process.once(sig, () => stop(sig));
  // A worker is told to stop by its primary.
  process.on("message", (m) => m === "shutdown" && stop("primary"));
  return "running";
}

/** The primary of `--workers N`: migrations, the bootstrap admin, backups and maintenance run here, once. */
function supervise(config: Config, log: Logger, closeLog: () => Promise<void>, ctx: CommandCtx): "running" {
  // Migrations and start-up checks before any worker opens the file; the connection stays for the schedules.
  let deps: ReturnType<typeof openDeps>;
  try {
    deps = openDeps(config, log, []);
  } catch (err) {
    void closeLog();
    throw err;
  }
  const schedules = startSchedules({ db: deps.db, log, config });
  let stopping = false;
  let quickDeaths = 0;
  let marked = false;
  const bornAt = new Map<number, number>();
  const fork = () => bornAt.set(cluster.fork({ SGP_WORKER: "1" }).id, Date.now());
  const finish = async (code: number) => {
    await schedules.stop();
    removeServerMarker(config.databasePath);
    deps.db.close();
    await closeLog();
    process.exit(code);
  };
  const stopAll = (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.send("shutdown");
    const force = setTimeout(() => void finish(code === 0 ? 1 : code), 15_000);
    force.unref();
    const check = () => Object.keys(cluster.workers ?? {}).length === 0 && void finish(code);
    cluster.on("exit", check);
    check();
  };
  for (let i = 0; i < config.workers; i++) fork();
  cluster.on("listening", (_worker, address) => {
    if (marked) return;
    marked = true;
    writeServerMarker(config.databasePath, {
      pid: process.pid,
      port: address.port,
      host: config.host,
      version: config.version,
      startedAt: new Date().toISOString(),
    });
  });
  cluster.on("message", (_worker, message: FatalMessage) => {
    if (!message?.sgpFatal || stopping) return;
    ctx.warn(message.sgpFatal);
    stopAll(1);
  });
  cluster.on("exit", (worker, code) => {
    if (stopping) return;
    // A worker that dies right after starting (a bad file, say) is retried with a growing delay, not in a loop.
    quickDeaths = Date.now() - (bornAt.get(worker.id) ?? 0) < 5_000 ? quickDeaths + 1 : 0;
    bornAt.delete(worker.id);
    const delay = Math.min(30_000, 1_000 * 2 ** Math.max(0, quickDeaths - 1)) * (quickDeaths > 0 ? 1 : 0);
    log.error({ pid: worker.process.pid, code, restartInMs: delay }, "worker died; starting another");
    setTimeout(() => !stopping && fork(), delay);
  });
  for (const sig of SIGNALS) process.once(sig, () => stopAll(0));
  return "running";
}

export default defineCommand({
  name: "serve",
  summary: "inicia o servidor (o padrão)",
  usage: "serve [--workers N]",
  description:
    "Escuta em HOST:PORT. Para com Ctrl+C (SIGINT), SIGTERM ou SIGBREAK: termina as requisições em andamento,\n" +
    "fecha os sockets e o banco. Faz os backups agendados (BACKUP_EVERY) e a manutenção diária do banco.",
  options: { workers: { type: "string" } },
  optionHelp: { workers: "N processos dividindo a porta e o banco (padrão WORKERS ou 1)" },
  async run(ctx) {
    const config = ctx.config(ctx.values.workers !== undefined ? { WORKERS: ctx.values.workers } : undefined);
    const { log, close } = await openLogger(config);
    if (config.workers > 1 && cluster.isPrimary) return supervise(config, log, close, ctx);
    return serveOne(config, log, close, ctx);
  },
});
