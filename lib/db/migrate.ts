import type Database from "libsql";
import { existsSync, mkdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { bindable, type Db, type Sql } from "./connection.ts";
import type { Logger } from "../log.ts";
import { MIGRATIONS } from "./migrations/index.ts";

/** One numbered migration. `up` runs inside one write transaction with foreign keys off. */
export interface Migration {
  id: number;
  name: string;
  up(q: Sql, env: MigrationEnv): void;
}

export interface MigrationEnv {
  /** True when the file was created by the original (Python) system and is being taken over. */
  legacy: boolean;
  log: Logger;
  /** Long migrations (the legacy import) report how far they are; `sgp import-legacy` draws a progress bar. */
  progress?: MigrationProgress;
}

/** `step` names what is being done; `done` of `total` units of it are finished. */
export type MigrationProgress = (step: string, done: number, total: number) => void;

/** The migrations a database has applied, the ones it still needs, and any this version does not know. */
export interface MigrationStatus {
  applied: { id: number; name: string; appliedAt: string }[];
  pending: { id: number; name: string }[];
  /** Ids applied by another (newer) version of SGP: such a database is refused, never downgraded. */
  unknown: number[];
}

/** Read-only: what `migrate` would do. A database without `schema_migrations` has everything pending. */
export function migrationStatus(q: Sql, migrations: Migration[] = MIGRATIONS): MigrationStatus {
  const rows = tableExists(q, "schema_migrations")
    ? q.all<{ id: number; name: string; applied_at: string }>("SELECT id, name, applied_at FROM schema_migrations ORDER BY id")
    : [];
  const known = new Set(migrations.map((m) => m.id));
  const done = new Set(rows.map((r) => r.id));
  return {
    applied: rows.filter((r) => known.has(r.id)).map((r) => ({ id: r.id, name: r.name, appliedAt: r.applied_at })),
    pending: migrations
      .filter((m) => !done.has(m.id))
      .sort((a, b) => a.id - b.id)
      .map((m) => ({ id: m.id, name: m.name })),
    unknown: rows.filter((r) => !known.has(r.id)).map((r) => r.id),
  };
}

/** A database written by a newer SGP (it applied migrations this one does not know). */
export class NewerDatabaseError extends Error {
  constructor(path: string, unknown: number[]) {
    super(
      `O banco ${path} foi gravado por uma versão mais nova do SGP (migrações desconhecidas: ${unknown.join(", ")}); ` +
        "atualize o SGP ou restaure um backup feito por esta versão",
    );
    this.name = "NewerDatabaseError";
  }
}

export interface MigrationReport {
  applied: string[];
  legacy: boolean;
  backup: string | null;
}

const tableExists = (q: Sql, name: string) => !!q.get("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = ?", name);

/**
 * Applies the pending migrations in order, each recorded in `schema_migrations`.
 * Before touching a database that already holds data, a consistent copy is written beside it
 * (`<file>.backup-<timestamp>`, through `VACUUM INTO`, so the WAL's content is included).
 */
export function migrate(
  db: Db,
  log: Logger,
  migrations: Migration[] = MIGRATIONS,
  opts: { progress?: MigrationProgress; backupFirst?: boolean } = {},
): MigrationReport {
  const { progress, backupFirst = true } = opts;
  const raw = db.raw;
  // Statements cached per migration run: the legacy import runs the same few statements once per row.
  const cache = new Map<string, Database.Statement>();
  const prepare = (s: string) => {
    if (db.remote) return raw.prepare(s); // see lib/db/connection.ts: a replica's statements are not cached
    let stmt = cache.get(s);
    if (!stmt) cache.set(s, (stmt = raw.prepare(s)));
    return stmt;
  };
  const q: Sql = {
    get: (s, ...p) => (db.remote ? prepare(s).all(bindable(p))[0] : prepare(s).get(bindable(p))) as never,
    all: (s, ...p) => prepare(s).all(bindable(p)) as never,
    run: (s, ...p) => {
      const r = prepare(s).run(bindable(p)) as { changes: number; lastInsertRowid: number | bigint };
      return { changes: r.changes, lastInsertRowid: Number(r.lastInsertRowid) };
    },
  };
  const hasData = !!q.get("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' LIMIT 1");
  raw.exec("CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
  const done = new Set(q.all<{ id: number }>("SELECT id FROM schema_migrations").map((r) => r.id));
  // No silent downgrade: running an older SGP on a newer database would write rows it no longer understands.
  const unknown = [...done].filter((id) => !migrations.some((m) => m.id === id)).sort((a, b) => a - b);
  if (unknown.length) throw new NewerDatabaseError(db.path, unknown);
  // Orders without our schema applied are the original's, even when a first start died mid-migration and left
  // an empty `schema_migrations` behind.
  const legacy = tableExists(q, "pedidos") && !done.has(1);
  const pending = migrations.filter((m) => !done.has(m.id)).sort((a, b) => a.id - b.id);
  const report: MigrationReport = { applied: [], legacy, backup: null };
  if (pending.length === 0) return report;

  // note: `sgp import-legacy` migrates a copy of the original file, which it leaves untouched: no backup needed.
  // A remote primary is backed up where it runs (docs/operations.md "Remote libSQL").
  if (hasData && backupFirst && db.path !== ":memory:" && !db.remote) {
    const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "");
    const dir = dirname(db.path);
    mkdirSync(dir, { recursive: true });
    let target = join(dir, `${basename(db.path)}.backup-${stamp}`);
    for (let i = 1; existsSync(target); i++) target = join(dir, `${basename(db.path)}.backup-${stamp}-${i}`);
    raw.prepare("VACUUM INTO ?").run(target);
    report.backup = target;
    log.warn({ backup: target, legacy }, "database backed up before migrating");
  }

  // Rebuilding tables needs foreign keys off (a PRAGMA that is a no-op inside a transaction), and the legacy
  // rename, which does not re-check views: a view on a rebuilt table would otherwise fail the rename.
  raw.exec("PRAGMA foreign_keys = OFF");
  // note: a libSQL primary refuses this PRAGMA (Sqlite3UnsupportedStatement); its databases start fresh (no views).
  if (!db.remote) raw.exec("PRAGMA legacy_alter_table = ON");
  try {
    for (const [i, m] of pending.entries()) {
      progress?.(`migração ${m.id}_${m.name}`, i, pending.length);
      const apply = () => {
        m.up(q, { legacy, log, progress });
        q.run("INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)", m.id, m.name, new Date().toISOString());
      };
      raw.transaction(apply).immediate();
      report.applied.push(`${m.id}_${m.name}`);
      log.info({ migration: `${m.id}_${m.name}` }, "migration applied");
    }
    const broken = q.all("PRAGMA foreign_key_check");
    if (broken.length) throw new Error(`migration left ${broken.length} rows breaking foreign keys: ${JSON.stringify(broken.slice(0, 5))}`);
  } finally {
    if (!db.remote) raw.exec("PRAGMA legacy_alter_table = OFF");
    raw.exec("PRAGMA foreign_keys = ON");
  }
  return report;
}

/** Column names of a table, in order. */
export function columnsOf(q: Sql, table: string): string[] {
  return q.all<{ name: string }>(`PRAGMA table_info("${table}")`).map((r) => r.name);
}

/**
 * Creates `table` from `createSql`, or, when it already exists, rebuilds it into that shape keeping every row
 * (the columns both shapes share are copied; the others take their defaults).
 * note: SQLite's recommended order (create new, copy, drop old, rename new) keeps other tables' foreign keys
 * pointing at the right name.
 */
export function createOrRebuild(q: Sql, table: string, createSql: string): { rebuilt: boolean; dropped: string[] } {
  if (!tableExists(q, table)) {
    q.run(createSql);
    return { rebuilt: false, dropped: [] };
  }
  const tmp = `_new_${table}`;
  const tmpSql = createSql.replace(/^\s*CREATE TABLE\s+("?)[\w]+\1/i, `CREATE TABLE "${tmp}"`);
  q.run(`DROP TABLE IF EXISTS "${tmp}"`);
  q.run(tmpSql);
  const oldCols = columnsOf(q, table);
  const newInfo = new Map(
    q
      .all<{ name: string; type: string; notnull: number; dflt_value: string | null }>(`PRAGMA table_info("${tmp}")`)
      .map((c) => [c.name, c]),
  );
  const common = oldCols.filter((c) => newInfo.has(c));
  const list = common.map((c) => `"${c}"`).join(", ");
  // A legacy NULL in a column that is now NOT NULL takes the new default (an explicit NULL would not), or the
  // type's empty value: the row is kept rather than the whole migration failing.
  const select = common
    .map((c) => {
      const info = newInfo.get(c)!;
      if (!info.notnull) return `"${c}"`;
      return `COALESCE("${c}", ${info.dflt_value ?? (/INT|REAL|FLOA|DOUB|NUM/i.test(info.type) ? "0" : "''")})`;
    })
    .join(", ");
  q.run(`INSERT INTO "${tmp}" (${list}) SELECT ${select} FROM "${table}"`);
  q.run(`DROP TABLE "${table}"`);
  q.run(`ALTER TABLE "${tmp}" RENAME TO "${table}"`);
  return { rebuilt: true, dropped: oldCols.filter((c) => !newInfo.has(c)) };
}
