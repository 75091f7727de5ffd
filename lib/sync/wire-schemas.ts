import * as v from "valibot";
import { Count, Id, named, Timestamp } from "../wire-schemas.ts";
import { SINK_NAMES } from "./store.ts";

/** Wire shapes of the admin `/sync/*` routes (`lib/sync/stats.ts`, `functions/sync/*`). */

const Sink = v.picklist(SINK_NAMES);

/** One sink's figures and its last errors (`SinkFigures` + `recent_errors`). */
const SinkStats = named(
  "SyncSinkStats",
  v.object({
    sink: Sink,
    configured: v.pipe(v.boolean(), v.description("false: sem configuração, listado por ter linha de antes")),
    cursor: v.pipe(v.nullable(Count), v.description("Todo evento até este id foi entregue, pulado ou foi para dead letter")),
    last_event_id: Count,
    pending: Count,
    retrying: Count,
    dead_letters: Count,
    oldest_pending_age_seconds: v.nullable(Count),
    attempts: Count,
    next_attempt_at: v.nullable(Timestamp),
    delivered: Count,
    skipped: Count,
    last_error: v.nullable(v.string()),
    last_error_at: v.nullable(Timestamp),
    last_delivered_at: v.nullable(Timestamp),
    recent_errors: v.array(v.object({ event_id: v.nullable(Id), attempt: Count, error: v.string(), at: Timestamp })),
  }),
);

/** `GET /sync/stats`: the original's totals (configured sinks only), the lease, and every sink with a row. */
export const SyncStats = named(
  "SyncStats",
  v.object({
    queue: v.object({ pending: Count, retry: Count, sent: Count, dead_letter: Count }),
    pending_total: Count,
    oldest_pending_age_seconds: v.nullable(Count),
    generated_at: Timestamp,
    lease: v.pipe(
      v.nullable(v.object({ holder: v.string(), expires_at: Timestamp, since: Timestamp })),
      v.description("O processo que entrega agora; null sem lease válido"),
    ),
    sinks: v.object(
      Object.fromEntries(SINK_NAMES.map((s) => [s, v.optional(SinkStats)])) as Record<
        (typeof SINK_NAMES)[number],
        v.OptionalSchema<typeof SinkStats, undefined>
      >,
    ),
  }),
);

/** `GET /sync/health`. */
export const SyncHealth = v.object({
  status: v.picklist(["ok", "degraded"]),
  reasons: v.array(v.picklist(["dead_letter", "oldest_pending_age"])),
  stats: SyncStats,
});

/** `POST /sync/retry-dead-letter`: one event (`event_id`), or every dead letter of `sink`. */
export const RetryDeadLetter = v.union([
  v.object({ message: v.string(), event_id: Id, count: v.pipe(Count, v.minValue(1)) }),
  v.object({ message: v.string(), sink: Sink, count: Count }),
]);
