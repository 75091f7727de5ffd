import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Config, SyncConfig } from "../config.ts";
import type { Db } from "../db/connection.ts";
import type { Logger } from "../log.ts";
import type { MediaStore } from "../media/store.ts";
import { errorText, eventRef, eventRefsAfter, retryDelayMs, type DeliveryOutcome, type EventRef, type Sink } from "./events.ts";
import { createHttpSink } from "./http-sink.ts";
import { createMysqlSink } from "./mysql-sink.ts";
import {
  acquireLease,
  advanceCursor,
  configuredSinks,
  dueRedelivery,
  ensureSinkRow,
  getSinkRow,
  nextRedeliveryAt,
  pruneDeletedOrders,
  recordStreamFailure,
  redelivered,
  redeliveryFailed,
  releaseLease,
  type DeadLetter,
  type SinkName,
} from "./store.ts";
import { createThumbnailer } from "./thumbnails.ts";

/**
 * The sync worker: one loop per configured sink, reading the event log from the sink's cursor, off the request
 * path (woken after COMMIT by a commit listener, and by a poll for other processes' commits and due retries).
 *
 * - At-least-once, in log order: the cursor moves only after the receiver acknowledged (a 2xx, a committed MySQL
 *   transaction); a crash in between sends those events again.
 * - A failure retries the event after the cursor alone, after min(base·2^attempts, max) + jitter; after
 *   `maxAttempts` it goes to the sink's dead letter and the cursor moves past it.
 * - One process delivers (`--workers N`): the holder of the lease row, renewed every third of its time, taken over
 *   when it expires. Cursor and attempt writes only apply while this process holds it.
 * - Bounded: a batch is at most `batchSize` events, one delivery at a time per sink, every network call has a
 *   time limit, and a delivery must end within half the lease (else it is abandoned, not counted).
 */
export interface SyncDeps {
  db: Db;
  log: Logger;
  config: Pick<Config, "sync" | "version">;
  media: MediaStore;
}

export interface SyncService {
  /** Configured sinks (empty: the service does nothing at all). */
  readonly sinks: readonly SinkName[];
  /** Whether this process holds the delivery lease right now. */
  holdsLease(): boolean;
  /** Looks for work now (after a commit; also called by the commit listener). */
  wake(): void;
  /**
   * Stops: no new delivery starts, the one in flight may finish within `graceMs` (else it is aborted and not
   * counted), then the lease is released and connections and threads are closed.
   */
  stop(graceMs?: number): Promise<void>;
}

/** Creates the cursor rows of newly configured sinks (at the head of the log). Idempotent. */
export function ensureCursors(db: Db, sync: SyncConfig, log?: Logger): void {
  for (const sink of configuredSinks(sync)) {
    const { row, created } = db.writeSync((tx) => ensureSinkRow(tx, sink));
    if (created && row.cursor > 0) {
      log?.warn(
        { sink, cursor: row.cursor },
        `sync sink "${sink}" configured: it gets every change committed from now on; run "sgp sync backfill ${sink}" to send the orders and users that exist already`,
      );
    } else if (created) {
      log?.info({ sink }, `sync sink "${sink}" configured`);
    }
  }
}

export function buildSink(deps: SyncDeps, name: SinkName): Sink {
  const s = deps.config.sync;
  if (name === "http") {
    if (!s.httpUrl) throw new Error("SYNC_HTTP_URL não configurado");
    return createHttpSink(deps.db, { url: s.httpUrl, key: s.httpKey, timeoutMs: s.httpTimeoutMs, version: deps.config.version });
  }
  if (!s.mysqlUrl) throw new Error("SYNC_MYSQL_URL não configurado");
  return createMysqlSink(deps.db, {
    url: s.mysqlUrl,
    timeoutMs: s.mysqlTimeoutMs,
    log: deps.log,
    media: deps.media,
    thumbnails: createThumbnailer({ log: deps.log }),
  });
}

/** The lease ran short while preparing a delivery: nothing was sent, nothing is counted, no attempt is recorded. */
class LeaseLost extends Error {}

/** After a delivery smaller than a batch, how long commits may pile up before the next read. */
const LINGER_MS = 25;

const sleep = (ms: number, wake: Promise<void>) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, Math.max(0, ms));
    t.unref();
    void wake.then(() => {
      clearTimeout(t);
      resolve();
    });
  });

/** A wake-up signal any number of waiters can await; `fire` resolves the current one and arms the next. */
class Signal {
  private resolveFn: () => void = () => {};
  promise: Promise<void> = this.arm();
  private arm(): Promise<void> {
    return new Promise<void>((r) => (this.resolveFn = r));
  }
  fire(): void {
    const r = this.resolveFn;
    this.promise = this.arm();
    r();
  }
}

/** Starts delivering for every configured sink. With none, returns an inert service (no timer, no row). */
export function startSync(deps: SyncDeps, opts: { holderId?: string } = {}): SyncService {
  const settings = deps.config.sync;
  const names = configuredSinks(settings);
  if (names.length === 0) {
    return { sinks: [], holdsLease: () => false, wake() {}, async stop() {} };
  }
  const log = deps.log.child({ component: "sync" });
  ensureCursors(deps.db, settings, log);
  const holder = opts.holderId ?? `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  const signal = new Signal();
  const stopController = new AbortController();
  let stopping = false;
  let leaseUntil = 0;

  // The lease: taken or renewed every third of its time; lost when another process holds it.
  const renew = () => {
    if (stopping) return;
    const now = Date.now();
    let held = false;
    try {
      held = deps.db.writeSync((tx) => acquireLease(tx, holder, now, settings.leaseMs));
    } catch (err) {
      // A busy database (another process writing) must not crash the timer; the next tick tries again.
      log.warn({ err: errorText(err) }, "sync lease renewal failed; retrying");
      return;
    }
    const had = leaseUntil > now;
    leaseUntil = held ? now + settings.leaseMs : 0;
    if (held && !had) {
      log.info({ holder }, "sync lease taken: this process delivers");
      signal.fire();
    } else if (!held && had) {
      log.warn({ holder }, "sync lease lost: another process delivers");
    }
  };
  const holdsLease = (marginMs = 0) => leaseUntil - Date.now() > marginMs;
  renew();
  const leaseTimer = setInterval(renew, Math.max(50, Math.floor(settings.leaseMs / 3)));
  leaseTimer.unref();
  const pollTimer = setInterval(() => signal.fire(), settings.pollMs);
  pollTimer.unref();
  const detach = deps.db.onCommit(() => signal.fire());

  // A delivery gets at most half the lease: the lease cannot expire under it while this process renews.
  const deliveryBudgetMs = Math.floor(settings.leaseMs / 2);

  const runners = names.map((name) => {
    const sink = buildSink(deps, name);
    const slog = log.child({ sink: name });

    const deliver = async (events: readonly EventRef[], redelivery: boolean): Promise<DeliveryOutcome> => {
      if (sink.prepare) await sink.prepare(events, { signal: stopController.signal, redelivery });
      if (!holdsLease(deliveryBudgetMs)) throw new LeaseLost();
      const controller = new AbortController();
      const deadline = setTimeout(() => controller.abort(new Error("prazo de entrega esgotado")), deliveryBudgetMs);
      const onStop = () => controller.abort(new Error("servidor parando"));
      stopController.signal.addEventListener("abort", onStop, { once: true });
      try {
        return await sink.deliver(events, { signal: controller.signal, redelivery });
      } catch (err) {
        if (controller.signal.aborted && controller.signal.reason instanceof Error) {
          throw new Error(`${controller.signal.reason.message} (${errorText(err)})`);
        }
        throw err;
      } finally {
        clearTimeout(deadline);
        stopController.signal.removeEventListener("abort", onStop);
      }
    };

    /**
     * One unit of work. Returns when to look again (ms from now; 0 = at once); a negative value -n means "after n
     * ms, whatever wakes us meanwhile" (lingering after a small batch, so a burst of commits goes out in batches
     * rather than one request per commit).
     */
    const step = async (): Promise<number> => {
      if (!holdsLease(deliveryBudgetMs)) return settings.pollMs;
      const now = Date.now();
      // 1. Dead letters an admin re-enqueued, one at a time, out of order (the sink applies them safely).
      const dl: DeadLetter | null = await deps.db.read((q) => dueRedelivery(q, name, now));
      if (dl) {
        const ev = await deps.db.read((q) => eventRef(q, dl.eventId));
        if (!ev) {
          slog.warn({ eventId: dl.eventId }, "dead letter of an event no longer in the log: dropped");
          deps.db.writeSync((tx) => redelivered(tx, dl, holder, { delivered: 0, skipped: 1 }));
          return 0;
        }
        try {
          const outcome = await deliver([ev], true);
          deps.db.writeSync((tx) => redelivered(tx, dl, holder, outcome));
          slog.info({ eventId: dl.eventId }, "dead letter delivered");
        } catch (err) {
          if (stopping || err instanceof LeaseLost) return 0;
          const text = errorText(err);
          const retryAt = Date.now() + retryDelayMs(dl.attempts, settings.backoffBaseMs, settings.backoffMaxMs);
          const r = deps.db.writeSync((tx) => redeliveryFailed(tx, dl, holder, text, settings.maxAttempts, retryAt));
          slog.warn({ eventId: dl.eventId, attempt: dl.attempts + 1, result: r, err: text }, "dead letter redelivery failed");
        }
        return 0;
      }
      // 2. The stream, from the cursor.
      const row = await deps.db.read((q) => getSinkRow(q, name));
      if (!row) {
        deps.db.writeSync((tx) => ensureSinkRow(tx, name));
        return 0;
      }
      if (row.nextAttemptAt !== null && row.nextAttemptAt > now) {
        // Backing off: sleep until the retry (or an earlier re-enqueued dead letter); commits still wake us early.
        const redo = await deps.db.read((q) => nextRedeliveryAt(q, name));
        return Math.max(1, Math.min(row.nextAttemptAt - now, redo === null ? Infinity : redo - now));
      }
      // After a failure the event after the cursor goes alone: one bad event cannot hold a whole batch hostage,
      // and it is the one whose attempts are counted.
      const events = await deps.db.read((q) => eventRefsAfter(q, row.cursor, row.attempts > 0 ? 1 : settings.batchSize));
      if (events.length === 0) {
        const redo = await deps.db.read((q) => nextRedeliveryAt(q, name));
        return Math.max(1, Math.min(settings.pollMs, redo === null ? Infinity : redo - now));
      }
      const from = row.cursor;
      const to = events[events.length - 1].id;
      try {
        const outcome = await deliver(events, false);
        const moved = deps.db.writeSync((tx) => {
          const ok = advanceCursor(tx, name, holder, from, to, outcome);
          if (ok && name === "http") pruneDeletedOrders(tx, to);
          return ok;
        });
        if (!moved) {
          slog.warn({ from, to }, "delivered, but the lease was lost meanwhile: the new holder sends these again");
          leaseUntil = 0;
        } else if (row.attempts > 0) {
          slog.info({ eventId: events[0].id, attempts: row.attempts }, "sync delivery recovered");
        }
        return events.length < settings.batchSize ? -LINGER_MS : 0;
      } catch (err) {
        // Abandoned by the stop, or the lease ran short while preparing: not a failure of the receiver.
        if (stopping || err instanceof LeaseLost) return 0;
        const text = errorText(err);
        const retryAt = Date.now() + retryDelayMs(row.attempts, settings.backoffBaseMs, settings.backoffMaxMs);
        const r = deps.db.writeSync((tx) => recordStreamFailure(tx, name, holder, from, events[0].id, text, settings.maxAttempts, retryAt));
        if (r === "dead")
          slog.error({ eventId: events[0].id, attempts: row.attempts + 1, err: text }, "sync event moved to the dead letter");
        else if (r === "retry")
          slog.warn(
            { eventId: events[0].id, attempt: row.attempts + 1, retryInMs: retryAt - Date.now(), err: text },
            "sync delivery failed; will retry",
          );
        else leaseUntil = 0;
        return 0;
      }
    };

    const loop = (async () => {
      while (!stopping) {
        const wake = signal.promise;
        let waitMs: number;
        try {
          waitMs = await step();
        } catch (err) {
          // Our own database failed (busy, disk): wait a poll, try again. Nothing was counted.
          slog.error({ err: errorText(err) }, "sync step failed");
          waitMs = settings.pollMs;
        }
        if (stopping) break;
        if (waitMs < 0) {
          await new Promise((r) => setTimeout(r, -waitMs).unref());
          continue;
        }
        if (waitMs === 0) {
          // Yield to requests between batches: a long backlog never holds the event loop.
          await new Promise((r) => setImmediate(r));
          continue;
        }
        await sleep(waitMs, wake);
      }
    })();
    return { name, sink, loop };
  });

  let stopped: Promise<void> | null = null;
  return {
    sinks: names,
    holdsLease: () => holdsLease(),
    wake: () => signal.fire(),
    stop(graceMs = 5_000) {
      stopped ??= (async () => {
        stopping = true;
        detach();
        clearInterval(leaseTimer);
        clearInterval(pollTimer);
        signal.fire();
        const all = Promise.all(runners.map((r) => r.loop));
        const timedOut = await Promise.race([
          all.then(() => false),
          new Promise<boolean>((r) => setTimeout(() => r(true), graceMs).unref()),
        ]);
        if (timedOut) {
          stopController.abort();
          await Promise.race([all, new Promise((r) => setTimeout(r, 1_000).unref())]);
        }
        try {
          deps.db.writeSync((tx) => releaseLease(tx, holder));
        } catch (err) {
          log.warn({ err: errorText(err) }, "sync lease not released; it expires by itself");
        }
        leaseUntil = 0;
        await Promise.all(runners.map((r) => r.sink.close().catch(() => {})));
      })();
      return stopped;
    },
  };
}
