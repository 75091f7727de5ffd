// Putting a backup back: checked first, refused while a server holds the database, and the database it replaces
// is kept beside it (never deleted), consistent (its WAL merged first).
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join, basename } from "node:path";
import type { Sql } from "../db/connection.ts";
import { migrationStatus, NewerDatabaseError } from "../db/migrate.ts";
import { secretBeside } from "./backup.ts";
import { runningServer } from "./marker.ts";
import { fileStamp, fsyncFile, isSqliteFile, openRaw, tableExists } from "./sqlite.ts";

export interface DatabaseSummary {
  orders: number;
  users: number;
  lastEventId: number;
  migrations: number;
}

/** A few counts that let a person recognise a database ("the one from yesterday, with 1,234 orders"). */
export function summarize(q: Sql): DatabaseSummary {
  const count = (table: string, where = "") =>
    tableExists(q, table) ? q.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "${table}" ${where}`)!.n : 0;
  return {
    orders: count("pedidos"),
    users: count("user"),
    lastEventId: tableExists(q, "event_log") ? (q.get<{ n: number | null }>("SELECT MAX(id) AS n FROM event_log")!.n ?? 0) : 0,
    migrations: count("schema_migrations"),
  };
}

/** Refuses to replace a database a running server holds open. */
export async function assertNoServer(dbPath: string): Promise<void> {
  const running = await runningServer(dbPath);
  if (running) {
    throw new Error(
      `um servidor SGP (pid ${running.pid}, porta ${running.port}) está usando ${dbPath}; pare-o antes (serviço: sgp-service.exe stop)`,
    );
  }
}

/**
 * Checks that `file` is an SGP database this version can open: a SQLite file that passes `integrity_check`, with
 * our migrations table and no migration from a newer version.
 */
export function inspectBackup(file: string): DatabaseSummary {
  if (!isSqliteFile(file)) throw new Error(`${file} não existe ou não é um banco SQLite`);
  const db = openRaw(file, { readonly: true });
  try {
    const integrity = db.q.all<{ integrity_check: string }>("PRAGMA integrity_check").map((r) => r.integrity_check);
    if (integrity.join() !== "ok") throw new Error(`${file} está corrompido: ${integrity.slice(0, 3).join("; ")}`);
    if (!tableExists(db.q, "schema_migrations") || !tableExists(db.q, "pedidos")) {
      throw new Error(`${file} não é um banco do SGP (um banco do sistema antigo? use import-legacy)`);
    }
    const status = migrationStatus(db.q);
    if (status.unknown.length) throw new NewerDatabaseError(file, status.unknown);
    return summarize(db.q);
  } finally {
    db.close();
  }
}

/**
 * Moves the database at `dbPath` aside as `<db>.replaced-<stamp>` after merging its WAL into it, so the kept file is
 * complete on its own. Returns the kept path, or null when there was no database.
 */
export function setAside(dbPath: string, tag = "replaced"): string | null {
  if (!existsSync(dbPath)) return null;
  if (isSqliteFile(dbPath)) {
    const db = openRaw(dbPath);
    try {
      db.conn.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    } finally {
      db.close();
    }
  }
  let kept = `${dbPath}.${tag}-${fileStamp()}`;
  for (let i = 1; existsSync(kept); i++) kept = `${dbPath}.${tag}-${fileStamp()}-${i}`;
  renameSync(dbPath, kept);
  // Whatever the checkpoint left (nothing, normally) stays with the file it belongs to.
  for (const suffix of ["-wal", "-shm"]) if (existsSync(dbPath + suffix)) renameSync(dbPath + suffix, kept + suffix);
  return kept;
}

export interface RestoreReport {
  restored: DatabaseSummary;
  /** The database that was replaced, kept beside it (null: there was none). */
  kept: string | null;
  /** The key file put in place from the backup, and the one it replaced. */
  secret: { restored: string; kept: string | null } | null;
  /** The backup has a key file but the secret comes from SECRET_KEY: nothing was changed. */
  secretIgnored: boolean;
}

/**
 * Restores `file` as the database at `dbPath` (and, when the secret comes from the generated key file, the key
 * saved beside the backup, so sessions and signed image links of that time stay valid).
 * @throws Error with one Portuguese line: bad backup, newer version, or a server running on `dbPath`.
 */
export async function restoreDatabase(opts: { file: string; dbPath: string; secretKeyFile: string | null }): Promise<RestoreReport> {
  const restored = inspectBackup(opts.file);
  await assertNoServer(opts.dbPath);
  // Copied under a temporary name in the target folder, then renamed: a crash halfway leaves the old database.
  mkdirSync(dirname(opts.dbPath), { recursive: true });
  const incoming = join(dirname(opts.dbPath), `.${basename(opts.dbPath)}.restoring-${process.pid}`);
  copyFileSync(opts.file, incoming);
  try {
    fsyncFile(incoming);
    if (statSync(incoming).size !== statSync(opts.file).size) throw new Error("a cópia do backup ficou incompleta");
  } catch (err) {
    rmSync(incoming, { force: true });
    throw err;
  }
  const kept = setAside(opts.dbPath);
  renameSync(incoming, opts.dbPath);

  const backupKey = secretBeside(opts.file);
  let secret: RestoreReport["secret"] = null;
  if (existsSync(backupKey) && opts.secretKeyFile) {
    const same =
      existsSync(opts.secretKeyFile) && readFileSync(opts.secretKeyFile, "utf8").trim() === readFileSync(backupKey, "utf8").trim();
    if (!same) {
      let keptKey: string | null = null;
      if (existsSync(opts.secretKeyFile)) {
        keptKey = `${opts.secretKeyFile}.replaced-${fileStamp()}`;
        renameSync(opts.secretKeyFile, keptKey);
      }
      copyFileSync(backupKey, opts.secretKeyFile);
      secret = { restored: opts.secretKeyFile, kept: keptKey };
    }
  }
  return { restored, kept, secret, secretIgnored: existsSync(backupKey) && !opts.secretKeyFile };
}
