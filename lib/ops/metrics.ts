// Prometheus metrics (prom-client), one registry per server (several servers can share a test process).
// Other modules add their own figures through `Metrics.gauge` / `Metrics.counter` (the sync sinks register per-sink
// gauges there): a collector is a function read at scrape time, so nothing is computed between scrapes.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { statSync } from "node:fs";
import type { Db } from "../db/connection.ts";
import { lastEventId } from "../events/log.ts";
import { backupHistory } from "./backup.ts";

type Labels = Record<string, string | number>;

export interface GaugeSpec {
  /** `sgp_<area>_<what>_<unit>` by convention (`sgp_sync_sink_lag_events`). */
  name: string;
  help: string;
  labelNames?: string[];
  /** Read at every scrape: call `set` once per label combination. May be async (a database read). */
  collect(set: (value: number, labels?: Labels) => void): void | Promise<void>;
}

export interface Metrics {
  readonly registry: Registry;
  /** One finished HTTP request: `route` is the matched pattern (`/pedidos/:id`), never the raw path. */
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  /** Registers a gauge computed at scrape time. */
  gauge(spec: GaugeSpec): void;
  /** Registers a counter the caller increments (`counter.inc({ sink: "mysql" })`). */
  counter(spec: { name: string; help: string; labelNames?: string[] }): Counter<string>;
  /** The text exposition format. */
  render(): Promise<{ contentType: string; body: string }>;
}

const METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"]);

/**
 * A registry with the HTTP request counter and duration histogram. `processMetrics` adds prom-client's default
 * process figures (CPU, memory, event-loop delay, GC): only for a real server, they start their own monitors.
 */
export function createMetrics(opts: { processMetrics?: boolean; defaultLabels?: Labels } = {}): Metrics {
  const registry = new Registry();
  if (opts.defaultLabels) registry.setDefaultLabels(opts.defaultLabels);
  if (opts.processMetrics) collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: "sgp_http_requests_total",
    help: "HTTP requests answered, by method, route pattern and status",
    labelNames: ["method", "route", "status"],
    registers: [registry],
  });
  const duration = new Histogram({
    name: "sgp_http_request_duration_seconds",
    help: "HTTP request duration (first byte of the response), by method, route pattern and status",
    labelNames: ["method", "route", "status"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    registry,
    observeRequest(method, route, status, seconds) {
      const labels = { method: METHODS.has(method) ? method : "OTHER", route, status: String(status) };
      requests.inc(labels);
      duration.observe(labels, seconds);
    },
    gauge(spec) {
      new Gauge({
        name: spec.name,
        help: spec.help,
        labelNames: spec.labelNames ?? [],
        registers: [registry],
        async collect() {
          this.reset();
          await spec.collect((value, labels) => (labels ? this.set(labels, value) : this.set(value)));
        },
      });
    },
    counter(spec) {
      return new Counter({ name: spec.name, help: spec.help, labelNames: spec.labelNames ?? [], registers: [registry] });
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

/** A counter fed from a running total kept elsewhere (the hub's): increments by what changed since the last scrape. */
function totalCounter(metrics: Metrics, name: string, help: string, total: () => number): void {
  let seen = 0;
  new Counter({
    name,
    help,
    registers: [metrics.registry],
    collect() {
      const now = total();
      if (now > seen) this.inc(now - seen);
      seen = now;
    },
  });
}

export interface CoreSources {
  db: Db;
  version: string;
  backupEveryMs: number;
  peers(): number;
  eventsDelivered(): number;
  eventsDropped(): number;
  lastPublishedEventId(): number;
}

/** The server's own figures: realtime, event log, backups, database size, version. */
export function registerCoreMetrics(metrics: Metrics, src: CoreSources): void {
  metrics.gauge({
    name: "sgp_info",
    help: "Always 1; the version as a label",
    labelNames: ["version"],
    collect: (set) => set(1, { version: src.version }),
  });
  metrics.gauge({ name: "sgp_realtime_peers", help: "Connected realtime (WebSocket) peers", collect: (set) => set(src.peers()) });
  totalCounter(
    metrics,
    "sgp_realtime_events_delivered_total",
    "Events sent to realtime peers (live and replayed), one per peer",
    src.eventsDelivered,
  );
  totalCounter(
    metrics,
    "sgp_realtime_events_dropped_total",
    "Events a peer could not be sent because it stopped reading or its send failed (the peer is dropped and replays on reconnect)",
    src.eventsDropped,
  );
  // Events are published from the head the hub saw at start: earlier ones are only for `?since=` replays.
  let startHead: number | null = null;
  metrics.gauge({
    name: "sgp_event_log_lag_events",
    help: "Events committed to the event log but not yet published to this process's realtime peers",
    async collect(set) {
      const head = await src.db.read((q) => lastEventId(q));
      startHead ??= head;
      set(Math.max(0, head - Math.max(startHead, src.lastPublishedEventId())));
    },
  });
  metrics.gauge({
    name: "sgp_event_log_last_id",
    help: "Id of the last committed event",
    collect: async (set) => set(await src.db.read((q) => lastEventId(q))),
  });
  metrics.gauge({
    name: "sgp_database_size_bytes",
    help: "Size of the database file and its write-ahead log",
    labelNames: ["file"],
    collect(set) {
      for (const [file, path] of [
        ["db", src.db.path],
        ["wal", `${src.db.path}-wal`],
      ] as const) {
        try {
          set(statSync(path).size, { file });
        } catch {
          set(0, { file });
        }
      }
    },
  });
  metrics.gauge({
    name: "sgp_backup_age_seconds",
    help: "Seconds since the last successful backup (-1: none yet)",
    async collect(set) {
      const { lastOk } = await src.db.read((q) => backupHistory(q));
      set(lastOk ? Math.max(0, (Date.now() - Date.parse(lastOk.finishedAt)) / 1000) : -1);
    },
  });
  metrics.gauge({
    name: "sgp_backup_last_success",
    help: "1 when the last backup succeeded, 0 when it failed, -1 when none was taken",
    async collect(set) {
      const { last } = await src.db.read((q) => backupHistory(q));
      set(last ? (last.ok ? 1 : 0) : -1);
    },
  });
  metrics.gauge({
    name: "sgp_backup_interval_seconds",
    help: "BACKUP_EVERY (0: scheduled backups off)",
    collect: (set) => set(src.backupEveryMs / 1000),
  });
}
