import type { Migration } from "../migrate.ts";

/**
 * Operations: the history of backups (what `/health` and `/metrics` report as the last backup, whichever process
 * or command took it) and a small key/value table for operational state (the write probe's row, the last
 * maintenance run). Neither is domain data: a restored database simply brings its own history back.
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
  },
};
