import type { Config } from "../config.ts";
import type { Db } from "../db/connection.ts";
import type { Metrics } from "../ops/metrics.ts";
import { sinkFigures, type SinkFigures } from "./stats.ts";

/**
 * Each sink's delivery figures in `/metrics`, read from the database at scrape time (the same `sinkFigures` as
 * `GET /sync/stats`), labelled `sink`. One read per scrape feeds every gauge.
 */
export function registerSyncMetrics(metrics: Metrics, db: Db, config: Pick<Config, "sync">): void {
  let cached: { at: number; figures: Promise<SinkFigures[]> } | null = null;
  // Gauges are collected one after another in one scrape: they share one read.
  const figures = () => {
    if (!cached || Date.now() - cached.at > 1_000) cached = { at: Date.now(), figures: db.read((q) => sinkFigures(q, config.sync)) };
    return cached.figures;
  };
  const gauge = (name: string, help: string, value: (f: SinkFigures) => number | null) =>
    metrics.gauge({
      name,
      help,
      labelNames: ["sink"],
      async collect(set) {
        for (const f of await figures()) {
          const v = value(f);
          if (v !== null) set(v, { sink: f.sink });
        }
      },
    });
  gauge("sgp_sync_configured", "1 when the sink is configured (its settings are present)", (f) => (f.configured ? 1 : 0));
  gauge("sgp_sync_pending_events", "Events after the sink's cursor, not delivered yet", (f) => f.pending);
  gauge("sgp_sync_retrying_events", "Events waiting for a retry (backing off, or re-enqueued dead letters)", (f) => f.retrying);
  gauge("sgp_sync_dead_letters", "Events moved to the sink's dead letter after their last failed attempt", (f) => f.dead_letters);
  gauge(
    "sgp_sync_oldest_pending_age_seconds",
    "Age of the oldest event the sink has not delivered (0: none)",
    (f) => f.oldest_pending_age_seconds ?? 0,
  );
  gauge("sgp_sync_delivered_events", "Events acknowledged by the sink since it was configured", (f) => f.delivered);
  gauge("sgp_sync_cursor", "The last event id the sink delivered (or skipped)", (f) => f.cursor);
}
