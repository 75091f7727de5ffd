// Work the server does on a timer: backups (in a child process, never on the event loop) and daily maintenance.
// One process per database runs it: the server, or the primary of a `--workers` cluster.
import { spawn, type ChildProcess } from "node:child_process";
import { constants, setPriority } from "node:os";
import type { Config } from "../config.ts";
import type { Db } from "../db/connection.ts";
import type { Logger } from "../log.ts";
import { nowIso } from "../time.ts";
import { backupHistory, recordBackupRun, type BackupResult, type BackupRun } from "./backup.ts";
import { installDir, selfCommand } from "./install.ts";
import { optimizeDatabase } from "./maintenance.ts";

/** One copy, as the helper process is asked to make it. */
export interface BackupJob {
  source: string;
  dir: string;
  keep: number;
  secretFile: string | null;
}

export interface BackupRunner {
  run(job: BackupJob): Promise<BackupResult>;
  /** Starts the helper ahead of the first job (call it while nothing waits on the event loop: at start). */
  prepare(): void;
  /** The helper's pid, or null when none runs. */
  pid(): number | null;
  stop(): void;
}

const HOUR = 3_600_000;
const STDERR_LIMIT = 16 * 1024;
const JOB_TIMEOUT_MS = 2 * HOUR;

type HelperReply = { id: number; ok: true; result: BackupResult } | { id: number; ok: false; error: string };

/**
 * Backups in a long-lived helper process of this same SGP (`sgp internal-backup-helper`, lib/ops/install.ts
 * `selfCommand`) that waits for jobs over IPC. The helper opens its own connection and runs the synchronous
 * `VACUUM INTO` there, at the lowest CPU priority, so the server's event loop never waits on the copy.
 * note: why not a process per backup: spawning forks the server, which holds its event loop for as long as copying
 * its page tables takes (5–40 ms measured on the build machines, `bench/backup.ts`). The helper is spawned once, at
 * start, before the server takes requests; after a crash it is spawned again at the next backup.
 */
export function helperProcessBackup(opts: { cwd: string }): BackupRunner {
  let child: ChildProcess | null = null;
  let stderr = "";
  let nextId = 1;
  const pending = new Map<number, { resolve(r: BackupResult): void; reject(e: Error): void; timer: NodeJS.Timeout }>();
  const failAll = (why: string) => {
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      p.reject(new Error(why));
      pending.delete(id);
    }
  };
  const start = (): ChildProcess => {
    if (child?.connected) return child;
    const self = selfCommand();
    stderr = "";
    const c = spawn(self.command, [...self.args, "internal-backup-helper"], {
      cwd: opts.cwd,
      env: process.env,
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      windowsHide: true,
    });
    // The copy yields the CPU to the server it runs beside (nice 19; the "low" class on Windows).
    try {
      if (c.pid) setPriority(c.pid, constants.priority.PRIORITY_LOW);
    } catch {
      // not permitted: it runs at normal priority
    }
    c.stderr!.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-STDERR_LIMIT)));
    c.on("message", (m: HelperReply) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      clearTimeout(p.timer);
      if (m.ok) p.resolve(m.result);
      else p.reject(new Error(m.error));
    });
    c.once("error", (e) => failAll(`o processo de backup não iniciou: ${e.message}`));
    c.once("exit", (code, signal) => {
      if (child === c) child = null;
      // An uncaught error's own line, not Node's version footer after the stack.
      const lines = stderr
        .trim()
        .split("\n")
        .map((l) => l.trim())
        .filter(Boolean);
      const why = lines.find((l) => /^(\w*Error|Configuração inválida|sgp)/.test(l)) ?? lines[0] ?? `saiu com ${signal ?? code}`;
      failAll(`o processo de backup terminou: ${why}`);
    });
    // The helper must never keep the server's process alive on its own.
    c.unref();
    (c as unknown as { channel?: { unref(): void } }).channel?.unref();
    child = c;
    return c;
  };
  return {
    prepare: () => void start(),
    pid: () => child?.pid ?? null,
    run(job) {
      return new Promise<BackupResult>((resolve, reject) => {
        const c = start();
        const id = nextId++;
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error("o backup passou de 2 h; processo interrompido"));
          c.kill();
        }, JOB_TIMEOUT_MS);
        timer.unref();
        pending.set(id, { resolve, reject, timer });
        c.send({ id, job });
      });
    },
    stop() {
      failAll("servidor parando");
      child?.kill();
      child = null;
    },
  };
}

export interface Scheduler {
  /** Takes a backup now (the timer's own path); resolves with the recorded run. */
  backupNow(trigger?: BackupRun["trigger"]): Promise<BackupRun>;
  /** When the next scheduled backup is due (ms since epoch), or null when scheduled backups are off. */
  nextBackupAt(): Promise<number | null>;
  /** Stops the timers; a backup in progress gets a few seconds to finish, then its child is killed. */
  stop(): Promise<void>;
}

export interface ScheduleOptions {
  db: Db;
  log: Logger;
  config: Pick<Config, "databasePath" | "backupDir" | "backupEveryMs" | "backupKeep" | "secretKeyFile">;
  /** The first scheduled backup of a database that has none waits this long after the start (default 60 s). */
  firstBackupDelayMs?: number;
  /** After a failed backup, the next try (default: the interval, at most an hour). */
  retryMs?: number;
  optimizeEveryMs?: number;
  runner?: BackupRunner;
}

export function startSchedules(opts: ScheduleOptions): Scheduler {
  const { db, log, config } = opts;
  const startedAt = Date.now();
  const every = config.backupEveryMs;
  const firstDelay = opts.firstBackupDelayMs ?? 60_000;
  const retry = opts.retryMs ?? Math.min(every || HOUR, HOUR);
  const runner = opts.runner ?? helperProcessBackup({ cwd: installDir() });
  // Forked now, while the server is not serving yet (see helperProcessBackup).
  if (every > 0) runner.prepare();
  let running: Promise<BackupRun> | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;

  const due = async (): Promise<number> => {
    const { last, lastOk } = await db.read((q) => backupHistory(q));
    let next = lastOk ? Date.parse(lastOk.finishedAt) + every : startedAt + firstDelay;
    if (last && !last.ok) next = Math.max(next, Date.parse(last.finishedAt) + retry);
    // Never while the server is still starting.
    return Math.max(next, startedAt + firstDelay);
  };

  const backupNow = (trigger: BackupRun["trigger"] = "schedule"): Promise<BackupRun> => {
    running ??= (async () => {
      const started = nowIso();
      const job: BackupJob = {
        source: config.databasePath,
        dir: config.backupDir,
        keep: config.backupKeep,
        secretFile: config.secretKeyFile,
      };
      let run: BackupRun;
      try {
        const r = await runner.run(job);
        run = { startedAt: started, finishedAt: nowIso(), ok: true, trigger, file: r.file, bytes: r.bytes, ms: r.ms, error: null };
        log.info({ file: r.file, bytes: r.bytes, ms: r.ms, pruned: r.pruned.length }, "backup written");
      } catch (err) {
        run = {
          startedAt: started,
          finishedAt: nowIso(),
          ok: false,
          trigger,
          file: null,
          bytes: null,
          ms: null,
          error: (err as Error).message,
        };
        log.error({ err: (err as Error).message, dir: config.backupDir }, "backup failed");
      }
      // A copy cut short by the server stopping is not a failed backup (it would make /health "degraded" until the next).
      if (stopped && !run.ok) return run;
      try {
        await db.write((tx) => recordBackupRun(tx, run));
      } catch (err) {
        log.error({ err }, "backup result could not be recorded");
      }
      return run;
    })().finally(() => (running = null));
    return running;
  };

  const arm = async () => {
    if (stopped || every <= 0) return;
    let wait: number;
    try {
      wait = (await due()) - Date.now();
    } catch (err) {
      log.warn({ err }, "backup schedule could not read the last backup; retrying");
      wait = 60_000;
    }
    if (stopped) return;
    // Re-checked at least hourly: a backup taken by `sgp backup` meanwhile moves the next one.
    timer = setTimeout(() => void tick(), Math.min(Math.max(wait, 1_000), HOUR));
    timer.unref();
  };
  const tick = async () => {
    timer = null;
    let now = false;
    try {
      now = (await due()) <= Date.now();
    } catch {
      now = false;
    }
    if (now && !stopped) await backupNow("schedule");
    await arm();
  };
  void arm();

  const optimizeEvery = opts.optimizeEveryMs ?? 24 * HOUR;
  const optimizeTimer = optimizeEvery > 0 ? setInterval(() => optimizeDatabase(db, log), optimizeEvery) : null;
  optimizeTimer?.unref();

  return {
    backupNow,
    nextBackupAt: () => (every > 0 ? due() : Promise.resolve(null)),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (optimizeTimer) clearInterval(optimizeTimer);
      if (running) {
        const grace = new Promise((r) => setTimeout(r, 5_000).unref());
        await Promise.race([
          running.then(
            () => true,
            () => true,
          ),
          grace,
        ]);
      }
      runner.stop();
      await running?.catch(() => {});
    },
  };
}
