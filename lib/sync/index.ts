/**
 * Sync: every committed change reaches the outside systems, from the event log (the outbox).
 * - `prepareSync(db, config)`: at startup, after migrations and before any write (`openDeps`).
 * - `startSync(deps)`: the worker, after the server listens; `stop()` before the database closes.
 * - `syncStats` / `syncHealth` / `retryDeadLetters`: the admin routes (`functions/sync/*`).
 * - `syncFigures(db, config)`: per-sink figures for `/metrics`.
 * - `backfillSink(deps, sink, opts)`: `sgp sync backfill <sink>`.
 */
import type { Config } from "../config.ts";
import type { CommittedEvent, Db, Tx } from "../db/connection.ts";
import { notFound } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { PedidoResponse } from "../orders/wire.ts";
import { sinkFigures, type SinkFigures } from "./stats.ts";
import { recordDeletedOrder, requeueDeadLetters, type SinkName } from "./store.ts";
import { ensureCursors } from "./worker.ts";

export { startSync, type SyncDeps, type SyncService } from "./worker.ts";
export { syncStats, syncHealth, sinkFigures, MAX_PENDING_AGE_SECONDS, type SinkFigures, type SyncStats } from "./stats.ts";
export { backfillSink, type BackfillOptions, type BackfillProgress, type BackfillResult } from "./backfill.ts";
export { SINK_NAMES, isSinkName, configuredSinks, type SinkName } from "./store.ts";

const cents = (v: unknown): number => {
  const n = Number(v);
  return Number.isFinite(n) ? Math.round(n * 100) : 0;
};

/** In the delete's transaction: what the order was, for the HTTP push's `deleted: true` element. */
function rememberDeletedOrder(tx: Tx, event: CommittedEvent, before: unknown): void {
  if (event.type !== "order_deleted" || event.orderId === null) return;
  const o = (before ?? null) as PedidoResponse | null;
  recordDeletedOrder(tx, event.id, event.orderId, {
    numero: o?.numero ?? null,
    cliente: o?.cliente ?? null,
    status: o?.status ?? null,
    valorTotalCents: cents(o?.valor_total),
    rascunho: !!o?.rascunho,
  });
}

/**
 * At startup, after the migrations and before any write: the in-transaction hook the HTTP push needs (deleted
 * orders), and the cursor rows of newly configured sinks, so the very first writes of a fresh database (the
 * bootstrap admin) reach them. Does nothing when no sink is configured.
 */
export function prepareSync(db: Db, config: Pick<Config, "sync">, log?: Logger): void {
  if (config.sync.httpUrl) db.onEvent(rememberDeletedOrder);
  ensureCursors(db, config.sync, log);
}

/**
 * `POST /sync/retry-dead-letter`: re-enqueues one dead event (in `sink`, or every sink that holds it), or every
 * dead event of `sink`, each with a fresh set of attempts. The delivering process picks them up within a poll.
 * @throws AppError 404 `"Evento dead_letter não encontrado"` when `eventId` names no dead letter.
 */
export async function retryDeadLetters(db: Db, sel: { eventId?: number; sink?: SinkName }): Promise<number> {
  const n = await db.write((tx) => requeueDeadLetters(tx, sel));
  if (n === 0 && sel.eventId !== undefined) throw notFound("Evento dead_letter não encontrado");
  return n;
}

/**
 * For `/metrics`: one entry per sink (configured, or with a row left from before), with `cursor`, `pending`,
 * `retrying`, `dead_letters`, `oldest_pending_age_seconds`, `delivered`, `skipped`, `attempts`.
 * @example for (const f of await syncFigures(ctx.db, ctx.config)) pending.set({ sink: f.sink }, f.pending);
 */
export function syncFigures(db: Db, config: Pick<Config, "sync">): Promise<SinkFigures[]> {
  return db.read((q) => sinkFigures(q, config.sync));
}
