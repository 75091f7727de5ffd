// Online backups: a consistent copy of the live database (SQLite's `VACUUM INTO`, a snapshot read that never
// blocks the server's writers in WAL mode), checked, flushed to disk, with the generated secret key beside it.
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Sql } from "../db/connection.ts";
import { fileStamp, fsyncFile, isSqliteFile, openRaw, tableExists } from "./sqlite.ts";

/** `sgp-20260102-030000.db` (UTC); only files named so are pruned, never a file given with `--out`. */
const BACKUP_NAME = /^sgp-\d{8}-\d{6}(-\d+)?\.db$/;
const BACKUP_NAME_PARTS = /^sgp-(\d{8}-\d{6})(?:-(\d+))?\.db$/;
/** The secret key beside a backup: `<backup>.secret.key`. */
export const secretBeside = (backupFile: string): string => `${backupFile}.secret.key`;

export interface BackupResult {
  file: string;
  bytes: number;
  ms: number;
  /** The key file written beside it, or null (the secret comes from `SECRET_KEY`, not from a file). */
  secretFile: string | null;
  /** Old backups removed to keep `BACKUP_KEEP`. */
  pruned: string[];
}

/** A free `sgp-<stamp>.db` name in `dir`. */
export function nextBackupFile(dir: string, now = new Date()): string {
  const stamp = fileStamp(now);
  let file = join(dir, `sgp-${stamp}.db`);
  for (let i = 1; existsSync(file); i++) file = join(dir, `sgp-${stamp}-${i}.db`);
  return file;
}

/**
 * Copies the database at `source` into `out` while other connections keep reading and writing it.
 * The copy is written to a temporary name, checked (`PRAGMA quick_check`), flushed and only then renamed, so `out`
 * either does not exist or is a complete, consistent database. Synchronous: call it from a CLI process or a child
 * process, never on the server's event loop (lib/ops/schedule.ts runs it in a child).
 * @throws Error with a Portuguese one-line message.
 */
export function backupDatabase(opts: { source: string; out: string; secretFile: string | null }): Omit<BackupResult, "pruned"> {
  const started = Date.now();
  if (!isSqliteFile(opts.source)) throw new Error(`o banco ${opts.source} não existe ou não é um arquivo SQLite`);
  if (existsSync(opts.out)) throw new Error(`o destino ${opts.out} já existe`);
  mkdirSync(dirname(opts.out), { recursive: true });
  const partial = `${opts.out}.partial-${process.pid}`;
  rmSync(partial, { force: true });
  // Read-only: a backup can never write to the live database, whatever happens.
  const src = openRaw(opts.source, { readonly: true, busyTimeoutMs: 30_000 });
  try {
    src.conn.prepare("VACUUM INTO ?").run(partial);
  } catch (err) {
    rmSync(partial, { force: true });
    throw new Error(`a cópia falhou: ${(err as Error).message}`);
  } finally {
    src.close();
  }
  try {
    const copy = openRaw(partial, { readonly: true });
    try {
      const check = copy.q.get<{ quick_check: string }>("PRAGMA quick_check")?.quick_check;
      if (check !== "ok") throw new Error(`a cópia não passou no quick_check: ${check}`);
    } finally {
      copy.close();
    }
    fsyncFile(partial);
    renameSync(partial, opts.out);
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
  let secretFile: string | null = null;
  if (opts.secretFile && existsSync(opts.secretFile)) {
    secretFile = secretBeside(opts.out);
    copyFileSync(opts.secretFile, secretFile);
  }
  return { file: opts.out, bytes: statSync(opts.out).size, ms: Date.now() - started, secretFile };
}

/** Backups in `dir` named by us, newest first. */
export function listBackups(dir: string): string[] {
  if (!existsSync(dir)) return [];
  // By stamp, then by the `-N` of a second backup within the same second (a plain sort would put `-1` first).
  const key = (n: string) => {
    const m = BACKUP_NAME_PARTS.exec(n)!;
    return `${m[1]}-${(m[2] ?? "0").padStart(6, "0")}`;
  };
  return readdirSync(dir)
    .filter((n) => BACKUP_NAME.test(n))
    .sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0))
    .map((n) => join(dir, n));
}

/**
 * Keeps the newest `keep` backups of `dir` (with their key files) and removes the others, plus temporary files a
 * killed backup left (`*.partial-<pid>` of a process that is gone).
 */
export function pruneBackups(dir: string, keep: number): string[] {
  const removed: string[] = [];
  for (const file of listBackups(dir).slice(keep)) {
    rmSync(file, { force: true });
    rmSync(secretBeside(file), { force: true });
    removed.push(file);
  }
  if (existsSync(dir)) {
    for (const n of readdirSync(dir)) {
      const m = /\.partial-(\d+)$/.exec(n);
      if (m && Number(m[1]) !== process.pid && !alive(Number(m[1]))) rmSync(join(dir, n), { force: true });
    }
  }
  return removed;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
};

/** One backup run as `/health` and `/metrics` report it. */
export interface BackupRun {
  startedAt: string;
  finishedAt: string;
  ok: boolean;
  trigger: "schedule" | "cli";
  file: string | null;
  bytes: number | null;
  ms: number | null;
  error: string | null;
}

const KEEP_RUNS = 200;

/** Records a run (bounded history); a database without the table (not migrated yet) records nothing. */
export function recordBackupRun(q: Sql, run: BackupRun): void {
  if (!tableExists(q, "backup_runs")) return;
  q.run(
    "INSERT INTO backup_runs (started_at, finished_at, ok, trigger, file, bytes, ms, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    run.startedAt,
    run.finishedAt,
    run.ok ? 1 : 0,
    run.trigger,
    run.file,
    run.bytes,
    run.ms,
    run.error,
  );
  q.run("DELETE FROM backup_runs WHERE id <= (SELECT MAX(id) FROM backup_runs) - ?", KEEP_RUNS);
}

interface RunRow {
  started_at: string;
  finished_at: string;
  ok: number;
  trigger: "schedule" | "cli";
  file: string | null;
  bytes: number | null;
  ms: number | null;
  error: string | null;
}
const toRun = (r: RunRow): BackupRun => ({
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  ok: !!r.ok,
  trigger: r.trigger,
  file: r.file,
  bytes: r.bytes,
  ms: r.ms,
  error: r.error,
});

/** The last run and the last successful one (either may be null). */
export function backupHistory(q: Sql): { last: BackupRun | null; lastOk: BackupRun | null } {
  if (!tableExists(q, "backup_runs")) return { last: null, lastOk: null };
  const last = q.get<RunRow>("SELECT * FROM backup_runs ORDER BY id DESC LIMIT 1");
  const lastOk = last?.ok ? last : q.get<RunRow>("SELECT * FROM backup_runs WHERE ok = 1 ORDER BY id DESC LIMIT 1");
  return { last: last ? toRun(last) : null, lastOk: lastOk ? toRun(lastOk) : null };
}

/** The name shown for a backup file in logs and reports. */
export const backupLabel = (file: string): string => basename(file);
