import type { SyncConfig } from "../config.ts";
import type { Sql, Tx } from "../db/connection.ts";
import { nowIso } from "../time.ts";

/**
 * The SQL of the sync tables (migration 009). Every write that moves a cursor or records an attempt is fenced by
 * the lease: it only applies while `holder` still holds it, so a process that lost the lease (stalled past its
 * expiry, say) can never move a cursor the new holder is working on.
 */

export const SINK_NAMES = ["http", "mysql"] as const;
export type SinkName = (typeof SINK_NAMES)[number];
export const isSinkName = (s: unknown): s is SinkName => typeof s === "string" && (SINK_NAMES as readonly string[]).includes(s);

/** The sinks the settings turn on. An unconfigured sink has no row, sends nothing and marks nothing. */
export function configuredSinks(sync: SyncConfig): SinkName[] {
  const out: SinkName[] = [];
  if (sync.httpUrl) out.push("http");
  if (sync.mysqlUrl) out.push("mysql");
  return out;
}

/** Errors kept per sink in `sync_errors`. */
const ERROR_HISTORY = 50;
/** Stored error texts are cut to this (the original kept 4000 characters). */
export const MAX_ERROR_CHARS = 4000;

export interface SinkRow {
  sink: SinkName;
  cursor: number;
  attempts: number;
  nextAttemptAt: number | null;
  delivered: number;
  skipped: number;
  lastError: string | null;
  lastErrorAt: string | null;
  lastDeliveredAt: string | null;
}

interface RawSinkRow {
  sink: SinkName;
  cursor: number;
  attempts: number;
  next_attempt_at: number | null;
  delivered: number;
  skipped: number;
  last_error: string | null;
  last_error_at: string | null;
  last_delivered_at: string | null;
}

const toSinkRow = (r: RawSinkRow): SinkRow => ({
  sink: r.sink,
  cursor: r.cursor,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  delivered: r.delivered,
  skipped: r.skipped,
  lastError: r.last_error,
  lastErrorAt: r.last_error_at,
  lastDeliveredAt: r.last_delivered_at,
});

const SINK_COLUMNS = "sink, cursor, attempts, next_attempt_at, delivered, skipped, last_error, last_error_at, last_delivered_at";

export function getSinkRow(q: Sql, sink: SinkName): SinkRow | null {
  const r = q.get<RawSinkRow>(`SELECT ${SINK_COLUMNS} FROM sync_sinks WHERE sink = ?`, sink);
  return r ? toSinkRow(r) : null;
}

export function allSinkRows(q: Sql): SinkRow[] {
  return q.all<RawSinkRow>(`SELECT ${SINK_COLUMNS} FROM sync_sinks ORDER BY sink`).map(toSinkRow);
}

/**
 * The sink's row, created at the current head of the log when missing: a sink configured today starts with what
 * is committed from now on (the present state reaches it through the backfill, `backfill.ts`).
 * @returns the row and whether it was just created.
 */
export function ensureSinkRow(tx: Tx, sink: SinkName): { row: SinkRow; created: boolean } {
  const existing = getSinkRow(tx, sink);
  if (existing) return { row: existing, created: false };
  const head = tx.get<{ id: number | null }>("SELECT MAX(id) AS id FROM event_log")?.id ?? 0;
  const now = nowIso();
  tx.run("INSERT INTO sync_sinks (sink, cursor, created_at, updated_at) VALUES (?, ?, ?, ?)", sink, head, now, now);
  return { row: getSinkRow(tx, sink)!, created: true };
}

const HELD = "EXISTS (SELECT 1 FROM sync_lease WHERE name = 'sync' AND holder = ?)";

/**
 * After the receiver acknowledged events `(from, to]`: the cursor moves to `to`, attempts reset, counters grow.
 * Applies only if the cursor is still `from` and `holder` holds the lease.
 * @returns false when it did not apply (the lease was lost): nothing of this delivery counts.
 */
export function advanceCursor(
  tx: Tx,
  sink: SinkName,
  holder: string,
  from: number,
  to: number,
  counts: { delivered: number; skipped: number },
): boolean {
  const now = nowIso();
  const r = tx.run(
    `UPDATE sync_sinks SET cursor = ?, attempts = 0, next_attempt_at = NULL, delivered = delivered + ?, skipped = skipped + ?,
       last_delivered_at = CASE WHEN ? > 0 THEN ? ELSE last_delivered_at END, updated_at = ?
     WHERE sink = ? AND cursor = ? AND ${HELD}`,
    to,
    counts.delivered,
    counts.skipped,
    counts.delivered,
    now,
    now,
    sink,
    from,
    holder,
  );
  return r.changes > 0;
}

/**
 * A failed attempt at the event right after the cursor (`eventId`). Below `maxAttempts` it is retried at
 * `retryAt`; at `maxAttempts` it goes to the dead letter and the cursor moves past it, so delivery goes on.
 * @returns "retry" | "dead", or null when the lease was lost (nothing recorded).
 */
export function recordStreamFailure(
  tx: Tx,
  sink: SinkName,
  holder: string,
  cursor: number,
  eventId: number,
  error: string,
  maxAttempts: number,
  retryAt: number,
): "retry" | "dead" | null {
  const row = getSinkRow(tx, sink);
  if (!row || row.cursor !== cursor || !tx.get(`SELECT 1 AS x WHERE ${HELD}`, holder)) return null;
  const attempts = row.attempts + 1;
  const now = nowIso();
  const text = error.slice(0, MAX_ERROR_CHARS);
  addErrorHistory(tx, sink, eventId, attempts, text, now);
  if (attempts >= maxAttempts) {
    tx.run(
      `INSERT INTO sync_dead_letters (sink, event_id, status, attempts, last_error, created_at, updated_at) VALUES (?, ?, 'dead', ?, ?, ?, ?)
       ON CONFLICT(sink, event_id) DO UPDATE SET status = 'dead', attempts = excluded.attempts, last_error = excluded.last_error, updated_at = excluded.updated_at`,
      sink,
      eventId,
      attempts,
      text,
      now,
      now,
    );
    tx.run(
      "UPDATE sync_sinks SET cursor = ?, attempts = 0, next_attempt_at = NULL, last_error = ?, last_error_at = ?, updated_at = ? WHERE sink = ?",
      eventId,
      text,
      now,
      now,
      sink,
    );
    return "dead";
  }
  tx.run(
    "UPDATE sync_sinks SET attempts = ?, next_attempt_at = ?, last_error = ?, last_error_at = ?, updated_at = ? WHERE sink = ?",
    attempts,
    retryAt,
    text,
    now,
    now,
    sink,
  );
  return "retry";
}

function addErrorHistory(tx: Tx, sink: SinkName, eventId: number | null, attempt: number, error: string, now: string): void {
  const id = tx.run(
    "INSERT INTO sync_errors (sink, event_id, attempt, error, created_at) VALUES (?, ?, ?, ?, ?)",
    sink,
    eventId,
    attempt,
    error,
    now,
  ).lastInsertRowid;
  tx.run("DELETE FROM sync_errors WHERE sink = ? AND id <= ?", sink, id - ERROR_HISTORY);
}

export interface DeadLetter {
  id: number;
  sink: SinkName;
  eventId: number;
  status: "dead" | "retry";
  attempts: number;
  nextAttemptAt: number | null;
  lastError: string | null;
  createdAt: string;
}

interface RawDeadLetter {
  id: number;
  sink: SinkName;
  event_id: number;
  status: "dead" | "retry";
  attempts: number;
  next_attempt_at: number | null;
  last_error: string | null;
  created_at: string;
}

const toDeadLetter = (r: RawDeadLetter): DeadLetter => ({
  id: r.id,
  sink: r.sink,
  eventId: r.event_id,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  createdAt: r.created_at,
});

const DL_COLUMNS = "id, sink, event_id, status, attempts, next_attempt_at, last_error, created_at";

/** The oldest re-enqueued dead letter of `sink` whose retry time has come. */
export function dueRedelivery(q: Sql, sink: SinkName, now: number): DeadLetter | null {
  const r = q.get<RawDeadLetter>(
    `SELECT ${DL_COLUMNS} FROM sync_dead_letters WHERE sink = ? AND status = 'retry' AND COALESCE(next_attempt_at, 0) <= ? ORDER BY event_id LIMIT 1`,
    sink,
    now,
  );
  return r ? toDeadLetter(r) : null;
}

/** When the next re-enqueued dead letter of `sink` is due (null: none waiting). */
export function nextRedeliveryAt(q: Sql, sink: SinkName): number | null {
  return (
    q.get<{ t: number | null }>(
      "SELECT MIN(COALESCE(next_attempt_at, 0)) AS t FROM sync_dead_letters WHERE sink = ? AND status = 'retry'",
      sink,
    )?.t ?? null
  );
}

/** A re-enqueued dead letter was acknowledged: it is gone, and it counts as delivered. */
export function redelivered(tx: Tx, dl: DeadLetter, holder: string, counts: { delivered: number; skipped: number }): boolean {
  if (!tx.get(`SELECT 1 AS x WHERE ${HELD}`, holder)) return false;
  const r = tx.run("DELETE FROM sync_dead_letters WHERE id = ? AND status = 'retry'", dl.id);
  if (r.changes === 0) return false;
  const now = nowIso();
  tx.run(
    `UPDATE sync_sinks SET delivered = delivered + ?, skipped = skipped + ?,
       last_delivered_at = CASE WHEN ? > 0 THEN ? ELSE last_delivered_at END, updated_at = ? WHERE sink = ?`,
    counts.delivered,
    counts.skipped,
    counts.delivered,
    now,
    now,
    dl.sink,
  );
  return true;
}

/** A re-enqueued dead letter failed again: retried later, or dead again after `maxAttempts`. */
export function redeliveryFailed(
  tx: Tx,
  dl: DeadLetter,
  holder: string,
  error: string,
  maxAttempts: number,
  retryAt: number,
): "retry" | "dead" | null {
  if (!tx.get(`SELECT 1 AS x WHERE ${HELD}`, holder)) return null;
  const attempts = dl.attempts + 1;
  const now = nowIso();
  const text = error.slice(0, MAX_ERROR_CHARS);
  addErrorHistory(tx, dl.sink, dl.eventId, attempts, text, now);
  const dead = attempts >= maxAttempts;
  tx.run(
    "UPDATE sync_dead_letters SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ?, updated_at = ? WHERE id = ?",
    dead ? "dead" : "retry",
    attempts,
    dead ? null : retryAt,
    text,
    now,
    dl.id,
  );
  tx.run("UPDATE sync_sinks SET last_error = ?, last_error_at = ?, updated_at = ? WHERE sink = ?", text, now, now, dl.sink);
  return dead ? "dead" : "retry";
}

/**
 * Re-enqueues dead letters (`POST /sync/retry-dead-letter`): one event (in `sink`, or in every sink holding it),
 * or every dead letter of `sink`. Each gets a fresh set of attempts.
 * @returns how many were re-enqueued.
 */
export function requeueDeadLetters(tx: Tx, sel: { eventId?: number; sink?: SinkName }): number {
  const where = ["status = 'dead'"];
  const params: (string | number)[] = [];
  if (sel.eventId !== undefined) {
    where.push("event_id = ?");
    params.push(sel.eventId);
  }
  if (sel.sink !== undefined) {
    where.push("sink = ?");
    params.push(sel.sink);
  }
  if (params.length === 0) throw new Error("requeueDeadLetters needs an event id or a sink");
  const now = nowIso();
  return tx.run(
    `UPDATE sync_dead_letters SET status = 'retry', attempts = 0, next_attempt_at = NULL, updated_at = ? WHERE ${where.join(" AND ")}`,
    now,
    ...params,
  ).changes;
}

export function listDeadLetters(q: Sql, sink: SinkName, limit = 100): DeadLetter[] {
  return q
    .all<RawDeadLetter>(`SELECT ${DL_COLUMNS} FROM sync_dead_letters WHERE sink = ? ORDER BY event_id LIMIT ?`, sink, limit)
    .map(toDeadLetter);
}

export function recentErrors(q: Sql, sink: SinkName, limit = 5): { event_id: number | null; attempt: number; error: string; at: string }[] {
  return q
    .all<{ event_id: number | null; attempt: number; error: string; created_at: string }>(
      "SELECT event_id, attempt, error, created_at FROM sync_errors WHERE sink = ? ORDER BY id DESC LIMIT ?",
      sink,
      limit,
    )
    .map((r) => ({ event_id: r.event_id, attempt: r.attempt, error: r.error, at: r.created_at }));
}

// ---------------------------------------------------------------------------------------------------------------------
// The lease: one row, `sync`. Times are epoch milliseconds of this machine's clock (every process sharing the file
// runs on the one machine that holds it).

export interface LeaseRow {
  holder: string;
  expiresAt: number;
  acquiredAt: string;
  renewedAt: string;
}

export function getLease(q: Sql): LeaseRow | null {
  const r = q.get<{ holder: string; expires_at: number; acquired_at: string; renewed_at: string }>(
    "SELECT holder, expires_at, acquired_at, renewed_at FROM sync_lease WHERE name = 'sync'",
  );
  return r ? { holder: r.holder, expiresAt: r.expires_at, acquiredAt: r.acquired_at, renewedAt: r.renewed_at } : null;
}

/**
 * Takes the lease when it is free or expired, or renews it when `holder` has it.
 * @returns true when `holder` holds it until `now + ttlMs`.
 */
export function acquireLease(tx: Tx, holder: string, now: number, ttlMs: number): boolean {
  const iso = new Date(now).toISOString();
  const r = tx.run(
    `INSERT INTO sync_lease (name, holder, expires_at, acquired_at, renewed_at) VALUES ('sync', ?, ?, ?, ?)
     ON CONFLICT(name) DO UPDATE SET
       acquired_at = CASE WHEN sync_lease.holder = excluded.holder THEN sync_lease.acquired_at ELSE excluded.acquired_at END,
       holder = excluded.holder, expires_at = excluded.expires_at, renewed_at = excluded.renewed_at
     WHERE sync_lease.holder = excluded.holder OR sync_lease.expires_at <= ?`,
    holder,
    now + ttlMs,
    iso,
    iso,
    now,
  );
  return r.changes > 0;
}

/** Gives the lease up at once (a clean stop), so another process need not wait for it to expire. */
export function releaseLease(tx: Tx, holder: string): void {
  tx.run("UPDATE sync_lease SET expires_at = 0 WHERE name = 'sync' AND holder = ?", holder);
}

// ---------------------------------------------------------------------------------------------------------------------
// Deleted orders, for the HTTP push (`deleted: true` with the order's numero, cliente, status and total).

export interface DeletedOrder {
  numero: string | null;
  cliente: string | null;
  status: string | null;
  valorTotalCents: number;
  rascunho: boolean;
}

export function recordDeletedOrder(tx: Tx, eventId: number, orderId: number, o: DeletedOrder): void {
  tx.run(
    "INSERT OR REPLACE INTO sync_deleted_orders (event_id, order_id, numero, cliente, status, valor_total_cents, rascunho) VALUES (?, ?, ?, ?, ?, ?, ?)",
    eventId,
    orderId,
    o.numero,
    o.cliente,
    o.status,
    o.valorTotalCents,
    o.rascunho ? 1 : 0,
  );
}

/** Drops what the HTTP sink no longer needs: events at or below its cursor that are not in its dead letter. */
export function pruneDeletedOrders(tx: Tx, belowOrAt: number): void {
  tx.run(
    "DELETE FROM sync_deleted_orders WHERE event_id <= ? AND event_id NOT IN (SELECT event_id FROM sync_dead_letters WHERE sink = 'http')",
    belowOrAt,
  );
}
