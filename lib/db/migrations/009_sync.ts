import type { Migration } from "../migrate.ts";

/**
 * Sync (lib/sync): the event log is the outbox; these tables only say how far each sink got.
 * - `sync_sinks`: one row per configured sink: its cursor (every event up to it was delivered, skipped or
 *   dead-lettered), the failed attempts of the event right after it, and counters for the stats.
 * - `sync_dead_letters`: events a sink gave up on (after the max attempts); `status = 'retry'` once an admin
 *   re-enqueued one (`POST /sync/retry-dead-letter`).
 * - `sync_errors`: the last failures per sink (bounded), for the person diagnosing a receiver.
 * - `sync_lease`: the one row that says which process delivers (`--workers N`), until when.
 * - `sync_deleted_orders`: what an order was when it was deleted (the HTTP push tells the receiver which order went),
 *   written by an in-transaction hook on `order_deleted`, dropped once every sink is past it.
 * note: no foreign keys to event_log: rows outlive nothing and the log is never rewritten.
 */
export const sync: Migration = {
  id: 9,
  name: "sync",
  up(q) {
    q.run(`CREATE TABLE IF NOT EXISTS sync_sinks (
      sink TEXT PRIMARY KEY,
      cursor INTEGER NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER,
      delivered INTEGER NOT NULL DEFAULT 0,
      skipped INTEGER NOT NULL DEFAULT 0,
      last_error TEXT,
      last_error_at TEXT,
      last_delivered_at TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    )`);
    q.run(`CREATE TABLE IF NOT EXISTS sync_dead_letters (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      sink TEXT NOT NULL,
      event_id INTEGER NOT NULL,
      status TEXT NOT NULL DEFAULT 'dead' CHECK (status IN ('dead', 'retry')),
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER,
      last_error TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      UNIQUE (sink, event_id)
    )`);
    q.run(`CREATE INDEX IF NOT EXISTS ix_sync_dead_letters_status ON sync_dead_letters(sink, status, next_attempt_at)`);
    q.run(`CREATE TABLE IF NOT EXISTS sync_errors (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      sink TEXT NOT NULL,
      event_id INTEGER,
      attempt INTEGER NOT NULL,
      error TEXT NOT NULL,
      created_at TEXT NOT NULL
    )`);
    q.run(`CREATE INDEX IF NOT EXISTS ix_sync_errors_sink ON sync_errors(sink, id)`);
    q.run(`CREATE TABLE IF NOT EXISTS sync_lease (
      name TEXT PRIMARY KEY,
      holder TEXT NOT NULL,
      expires_at INTEGER NOT NULL,
      acquired_at TEXT NOT NULL,
      renewed_at TEXT NOT NULL
    )`);
    q.run(`CREATE TABLE IF NOT EXISTS sync_deleted_orders (
      event_id INTEGER PRIMARY KEY,
      order_id INTEGER NOT NULL,
      numero TEXT,
      cliente TEXT,
      status TEXT,
      valor_total_cents INTEGER NOT NULL DEFAULT 0,
      rascunho INTEGER NOT NULL DEFAULT 0
    )`);
  },
};
