import type { SyncConfig } from "../config.ts";
import type { Sql } from "../db/connection.ts";
import { allSinkRows, configuredSinks, getLease, recentErrors, SINK_NAMES, type SinkName, type SinkRow } from "./store.ts";

/** The oldest pending event above this age makes `/sync/health` degraded (the original's 300 s). */
export const MAX_PENDING_AGE_SECONDS = 300;

/** One sink's figures: `GET /sync/stats` and the `/metrics` gauges read the same. */
export interface SinkFigures {
  sink: SinkName;
  /** Its settings are present (an unconfigured sink with a row from before is listed, and ignored by health). */
  configured: boolean;
  /** Every event up to this id was delivered, skipped (nothing for this sink) or dead-lettered. */
  cursor: number | null;
  last_event_id: number;
  /** Events after the cursor (not delivered yet). */
  pending: number;
  /** Events waiting for a retry: the one after the cursor when backing off, plus re-enqueued dead letters. */
  retrying: number;
  dead_letters: number;
  oldest_pending_age_seconds: number | null;
  /** Failed attempts of the event after the cursor so far. */
  attempts: number;
  next_attempt_at: string | null;
  /** Events acknowledged by the receiver since the sink was configured. */
  delivered: number;
  /** Events with nothing for this sink (drafts, notifications, print logs for the HTTP push…). */
  skipped: number;
  last_error: string | null;
  last_error_at: string | null;
  last_delivered_at: string | null;
}

const ageSeconds = (iso: string | null | undefined, now: number): number | null => {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : Math.max(0, Math.floor((now - t) / 1000));
};

function figuresOf(q: Sql, row: SinkRow | null, sink: SinkName, configured: boolean, last: number, now: number): SinkFigures {
  const cursor = row?.cursor ?? null;
  const pending = cursor === null ? 0 : (q.get<{ n: number }>("SELECT COUNT(*) AS n FROM event_log WHERE id > ?", cursor)?.n ?? 0);
  const dl = q.get<{ dead: number | null; retry: number | null }>(
    "SELECT SUM(status = 'dead') AS dead, SUM(status = 'retry') AS retry FROM sync_dead_letters WHERE sink = ?",
    sink,
  );
  const firstPending =
    cursor === null || pending === 0
      ? null
      : q.get<{ t: string }>("SELECT created_at AS t FROM event_log WHERE id > ? ORDER BY id LIMIT 1", cursor)?.t;
  const firstRetry =
    (dl?.retry ?? 0) > 0
      ? q.get<{ t: string | null }>(
          "SELECT MIN(e.created_at) AS t FROM sync_dead_letters d JOIN event_log e ON e.id = d.event_id WHERE d.sink = ? AND d.status = 'retry'",
          sink,
        )?.t
      : null;
  const ages = [ageSeconds(firstPending, now), ageSeconds(firstRetry, now)].filter((a): a is number => a !== null);
  const headRetrying = row !== null && row.attempts > 0 && pending > 0 ? 1 : 0;
  return {
    sink,
    configured,
    cursor,
    last_event_id: last,
    pending,
    retrying: headRetrying + (dl?.retry ?? 0),
    dead_letters: dl?.dead ?? 0,
    oldest_pending_age_seconds: ages.length ? Math.max(...ages) : null,
    attempts: row?.attempts ?? 0,
    next_attempt_at: row?.nextAttemptAt ? new Date(row.nextAttemptAt).toISOString() : null,
    delivered: row?.delivered ?? 0,
    skipped: row?.skipped ?? 0,
    last_error: row?.lastError ?? null,
    last_error_at: row?.lastErrorAt ?? null,
    last_delivered_at: row?.lastDeliveredAt ?? null,
  };
}

/**
 * Every sink's figures: the configured ones, and any other that still has a row (so dead letters of a sink turned
 * off stay visible). Cheap: a few indexed reads per sink.
 */
export function sinkFigures(q: Sql, sync: SyncConfig, now = Date.now()): SinkFigures[] {
  const configured = new Set(configuredSinks(sync));
  const rows = new Map(allSinkRows(q).map((r) => [r.sink, r]));
  const last = q.get<{ id: number | null }>("SELECT MAX(id) AS id FROM event_log")?.id ?? 0;
  return SINK_NAMES.filter((s) => configured.has(s) || rows.has(s)).map((s) =>
    figuresOf(q, rows.get(s) ?? null, s, configured.has(s), last, now),
  );
}

/**
 * `GET /sync/stats`. The original's top-level shape (`queue`, `pending_total`, `oldest_pending_age_seconds`,
 * `generated_at`), summed over the configured sinks, plus `sinks` (each one's figures and last errors) and `lease`.
 * `queue.sent` counts acknowledged events; nothing is "sent" that a receiver did not acknowledge.
 */
export function syncStats(q: Sql, sync: SyncConfig, now = Date.now()) {
  const figures = sinkFigures(q, sync, now);
  const active = figures.filter((f) => f.configured);
  const sum = (k: "pending" | "retrying" | "dead_letters" | "delivered") => active.reduce((n, f) => n + f[k], 0);
  const headRetrying = active.reduce((n, f) => n + (f.attempts > 0 && f.pending > 0 ? 1 : 0), 0);
  const ages = active.map((f) => f.oldest_pending_age_seconds).filter((a): a is number => a !== null);
  const lease = getLease(q);
  return {
    queue: { pending: sum("pending") - headRetrying, retry: sum("retrying"), sent: sum("delivered"), dead_letter: sum("dead_letters") },
    pending_total: sum("pending") + (sum("retrying") - headRetrying),
    oldest_pending_age_seconds: ages.length ? Math.max(...ages) : null,
    generated_at: new Date(now).toISOString(),
    lease:
      lease && lease.expiresAt > now
        ? { holder: lease.holder, expires_at: new Date(lease.expiresAt).toISOString(), since: lease.acquiredAt }
        : null,
    sinks: Object.fromEntries(figures.map((f) => [f.sink, { ...f, recent_errors: recentErrors(q, f.sink) }])),
  };
}

export type SyncStats = ReturnType<typeof syncStats>;

/**
 * `GET /sync/health`: `degraded` when a configured sink has dead letters (`dead_letter`) or its oldest pending
 * event is older than 300 s (`oldest_pending_age`), as the original; `stats` is `GET /sync/stats`.
 */
export function syncHealth(stats: SyncStats) {
  const reasons: string[] = [];
  if (stats.queue.dead_letter > 0) reasons.push("dead_letter");
  if (stats.oldest_pending_age_seconds !== null && stats.oldest_pending_age_seconds > MAX_PENDING_AGE_SECONDS)
    reasons.push("oldest_pending_age");
  return { status: reasons.length ? "degraded" : "ok", reasons, stats };
}
