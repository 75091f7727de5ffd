import type { Migration } from "../migrate.ts";

/**
 * Operations: the history of backups (what `/health` and `/metrics` report as the last backup, whichever process
 * or command took it) and a small key/value table for operational state (the write probe's row, the last
 * maintenance run). Neither is domain data: a restored database simply brings its own history back.
 * Also the per-user session cut-off `sgp admin reset-password` writes (lib/auth/users.ts `endSessions`): the same
 * two columns migration 010 adds, added here only when missing, so either migration may run first.
 */
export const operations: Migration = {
  id: 13,
  name: "operations",
  up(q) {
    q.run(`CREATE TABLE IF NOT EXISTS backup_runs (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      started_at TEXT NOT NULL,
      finished_at TEXT NOT NULL,
      ok INTEGER NOT NULL,
      trigger TEXT NOT NULL,      -- 'schedule' | 'cli'
      file TEXT,
      bytes INTEGER,
      ms INTEGER,
      error TEXT
    )`);
    q.run(`CREATE TABLE IF NOT EXISTS ops_state (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL)`);
    const userColumns = new Set(q.all<{ name: string }>(`SELECT name FROM pragma_table_info('user')`).map((c) => c.name));
    if (!userColumns.has("sessions_not_before")) q.run(`ALTER TABLE "user" ADD COLUMN sessions_not_before INTEGER NOT NULL DEFAULT 0`);
    if (!userColumns.has("sessions_keep_jti")) q.run(`ALTER TABLE "user" ADD COLUMN sessions_keep_jti TEXT`);
  },
};
