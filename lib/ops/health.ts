// What `/health` reports beyond "the process answers": can the database and the media folder be written, and how
// the backups are doing. A read-only database or media folder is refused at start (one line), and a later fault
// (a disk that fills, permissions changed under the running server) turns `/health` into a 503 within 30 s.
import { mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Config } from "../config.ts";
import type { Db } from "../db/connection.ts";
import { nowIso } from "../time.ts";
import { backupHistory, backupLabel } from "./backup.ts";
import { tableExists } from "./sqlite.ts";

/** A start-up problem of the environment (not of a setting's syntax): printed as one line, exit 1. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StartupError";
  }
}

/** The SQLite cause behind our wrappers (UnavailableError keeps it in `causeError`). */
const causeOf = (err: unknown): string => {
  const inner = (err as { causeError?: unknown }).causeError ?? err;
  const code = (inner as { code?: string }).code;
  const msg = inner instanceof Error ? inner.message : String(inner);
  return code && !msg.includes(code) ? `${code}: ${msg}` : msg;
};

/** Writes one row in its own transaction (a read-only file, a full disk or a lost lock throw). */
export function probeDatabaseWrite(db: Db): void {
  db.writeSync((tx) => {
    if (!tableExists(tx, "ops_state")) return;
    const now = nowIso();
    tx.run(
      "INSERT INTO ops_state (key, value, updated_at) VALUES ('write_probe', ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
      String(process.pid),
      now,
    );
  });
}

const probeName = () => `.sgp-write-probe-${process.pid}`;

/** Creates the media root when missing, and writes and removes a small file in it. */
export function probeMediaWriteSync(root: string): void {
  mkdirSync(root, { recursive: true });
  if (!statSync(root).isDirectory()) throw new Error("não é uma pasta");
  const file = join(root, probeName());
  writeFileSync(file, "ok");
  rmSync(file, { force: true });
}

async function probeMediaWrite(root: string): Promise<void> {
  const file = join(root, probeName());
  await writeFile(file, "ok");
  await rm(file, { force: true });
}

/**
 * Refuses to start on a database or media folder that cannot be written: every write would otherwise be a 500
 * behind a green `/health`.
 * @throws StartupError naming the setting and the cause, in one line.
 */
export function assertWritable(db: Db, config: Pick<Config, "databasePath" | "mediaRoot">): void {
  try {
    probeDatabaseWrite(db);
  } catch (err) {
    throw new StartupError(`DATABASE_URL: o banco ${config.databasePath} não aceita escrita (${causeOf(err)})`);
  }
  try {
    probeMediaWriteSync(config.mediaRoot);
  } catch (err) {
    throw new StartupError(`MEDIA_ROOT: a pasta ${config.mediaRoot} não aceita escrita (${causeOf(err)})`);
  }
}

export interface ProbeResult {
  database: string | null;
  media: string | null;
  at: number;
}

/** The write probes, run at most once per `ttlMs` and never two at a time (`/health` is polled by every client). */
export class WriteProbe {
  private last: ProbeResult | null = null;
  private inflight: Promise<ProbeResult> | null = null;

  constructor(
    private readonly db: Db,
    private readonly mediaRoot: string,
    private readonly ttlMs = 30_000,
  ) {}

  async result(now = Date.now()): Promise<ProbeResult> {
    if (this.last && now - this.last.at < this.ttlMs) return this.last;
    this.inflight ??= (async () => {
      let database: string | null = null;
      let media: string | null = null;
      try {
        probeDatabaseWrite(this.db);
      } catch (err) {
        database = causeOf(err);
      }
      try {
        await probeMediaWrite(this.mediaRoot);
      } catch (err) {
        media = causeOf(err);
      }
      this.last = { database, media, at: Date.now() };
      return this.last;
    })().finally(() => (this.inflight = null));
    return this.inflight;
  }
}

/** Operations state shared by a process's handlers. */
export interface OpsState {
  startedAt: number;
  probe: WriteProbe;
}

export const createOpsState = (db: Db, mediaRoot: string): OpsState => ({ startedAt: Date.now(), probe: new WriteProbe(db, mediaRoot) });

/** The `backup` block of `/health`: the last run, the last success and whether the schedule keeps up. */
export async function backupReport(db: Db, config: Pick<Config, "backupEveryMs">, startedAt: number) {
  const { last, lastOk } = await db.read((q) => backupHistory(q));
  const every = config.backupEveryMs;
  const age = lastOk ? Math.max(0, Math.round((Date.now() - Date.parse(lastOk.finishedAt)) / 1000)) : null;
  // Two missed intervals (or none at all, an interval after the start) is worth a look.
  const stale = every > 0 && (age === null ? Date.now() - startedAt > every + 5 * 60_000 : age * 1000 > 2 * every);
  const state = last && !last.ok ? "failed" : stale ? "stale" : lastOk ? "ok" : every > 0 ? "pending" : "off";
  return {
    state,
    body: {
      enabled: every > 0,
      every_seconds: every / 1000,
      last: last
        ? {
            at: last.finishedAt,
            ok: last.ok,
            trigger: last.trigger,
            file: last.file ? backupLabel(last.file) : null,
            bytes: last.bytes,
            error: last.error,
          }
        : null,
      last_success_at: lastOk?.finishedAt ?? null,
      age_seconds: age,
    },
  };
}
