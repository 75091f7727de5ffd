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

/** What the child process is asked to do (`sgp internal-backup <json>`). */
export interface BackupJob {
  source: string;
  dir: string;
  keep: number;
  secretFile: string | null;
}

export type BackupRunner = (job: BackupJob) => Promise<BackupResult>;

const HOUR = 3_600_000;
const OUTPUT_LIMIT = 64 * 1024;
const JOB_TIMEOUT_MS = 2 * HOUR;

/**
 * Runs a backup job in a child process of this same SGP (lib/ops/install.ts `selfCommand`): the child opens its
 * own connection and does the synchronous `VACUUM INTO` there, so the server's event loop never waits on the copy.
 */
export function childProcessBackup(opts: { cwd: string; onChild?: (c: ChildProcess | null) => void }): BackupRunner {
  return (job) =>
    new Promise<BackupResult>((resolve, reject) => {
      const self = selfCommand();
      const child = spawn(self.command, [...self.args, "internal-backup", JSON.stringify(job)], {
        cwd: opts.cwd,
        env: process.env,
        stdio: ["ignore", "pipe", "pipe"],
        windowsHide: true,
      });
      opts.onChild?.(child);
      // The copy yields the CPU to the server it runs beside (nice 19; below-normal class on Windows).
      try {
        if (child.pid) setPriority(child.pid, constants.priority.PRIORITY_LOW);
      } catch {
        // not permitted: it runs at normal priority
      }
      let out = "";
      let err = "";
      child.stdout.on("data", (d: Buffer) => (out = (out + d.toString()).slice(-OUTPUT_LIMIT)));
      child.stderr.on("data", (d: Buffer) => (err = (err + d.toString()).slice(-OUTPUT_LIMIT)));
      const timer = setTimeout(() => child.kill(), JOB_TIMEOUT_MS);
      child.once("error", (e) => {
        clearTimeout(timer);
        opts.onChild?.(null);
        reject(e);
      });
      child.once("close", (code, signal) => {
        clearTimeout(timer);
        opts.onChild?.(null);
        const last = out.trim().split("\n").pop() ?? "";
        try {
          const parsed = JSON.parse(last) as { ok: true; result: BackupResult } | { ok: false; error: string };
          if (parsed.ok) return resolve(parsed.result);
          return reject(new Error(parsed.error));
        } catch {
          // An uncaught error's own line, not Node's version footer after the stack.
          const lines = err.trim().split("\n").map((l) => l.trim()).filter(Boolean);
          const why = lines.find((l) => /^(\w*Error|Configuração inválida|sgp)/.test(l)) ?? lines[0] ?? `saiu com ${signal ?? code}`;
          reject(new Error(`o processo de backup falhou: ${why}`));
        }
      });
    });
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
  let child: ChildProcess | null = null;
  const runner = opts.runner ?? childProcessBackup({ cwd: installDir(), onChild: (c) => (child = c) });
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
      const job: BackupJob = { source: config.databasePath, dir: config.backupDir, keep: config.backupKeep, secretFile: config.secretKeyFile };
      let run: BackupRun;
      try {
        const r = await runner(job);
        run = { startedAt: started, finishedAt: nowIso(), ok: true, trigger, file: r.file, bytes: r.bytes, ms: r.ms, error: null };
        log.info({ file: r.file, bytes: r.bytes, ms: r.ms, pruned: r.pruned.length }, "backup written");
      } catch (err) {
        run = { startedAt: started, finishedAt: nowIso(), ok: false, trigger, file: null, bytes: null, ms: null, error: (err as Error).message };
        log.error({ err: (err as Error).message, dir: config.backupDir }, "backup failed");
      }
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
      if (!running) return;
      const grace = new Promise((r) => setTimeout(r, 5_000).unref());
      const finished = await Promise.race([running.then(() => true, () => true), grace.then(() => false)]);
      if (!finished) {
        (child as ChildProcess | null)?.kill();
        await running.catch(() => {});
      }
    },
  };
}

