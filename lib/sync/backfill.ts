import { randomBytes } from "node:crypto";
import type { Sql } from "../db/connection.ts";
import { AppError } from "../errors.ts";
import { toIsoUtc } from "../time.ts";
import { errorText, retryDelayMs } from "./events.ts";
import { postElements, type PushElement } from "./http-sink.ts";
import { MysqlMirror } from "./mysql-sink.ts";
import { configuredSinks, ensureSinkRow, type SinkName } from "./store.ts";
import { createThumbnailer } from "./thumbnails.ts";
import type { SyncDeps } from "./worker.ts";

/**
 * `sgp sync backfill <sink>`: sends the current state of every order (and, to the MySQL mirror, every user) to one
 * sink — for a sink configured on a database that already holds data, or to repair one. It reads our database in
 * pages of `batchSize` (keyset by id: memory stays bounded) and may run while the server runs:
 * - the sink's cursor is created first (when missing), so every change committed from then on reaches the sink
 *   through the worker, and nothing falls between the two;
 * - HTTP: each order as a push element whose `event_id` is the order's last event in the log (0 for an order
 *   never changed since the takeover): a receiver keeping the highest `event_id` per order stays right;
 * - MySQL: each page is one transaction under the mirror's lock (the same one the worker takes), reading our
 *   state under it; then rows of orders and users we do not have are removed, and the passwords the original
 *   copied there are cleared.
 * A page that fails is retried (3 attempts with backoff), then the backfill stops with an error; it can be run
 * again (every step is idempotent).
 */
export interface BackfillProgress {
  sink: SinkName;
  phase: "orders" | "users" | "cleanup";
  done: number;
  total: number;
}

export interface BackfillResult {
  sink: SinkName;
  orders: number;
  users: number;
  /** Mirror rows removed because we do not have them (MySQL only). */
  removed: { orders: number; users: number };
  /** `pwa_users.password` values cleared (MySQL only). */
  clearedPasswords: number;
  elapsedMs: number;
}

export interface BackfillOptions {
  /** Orders per request / transaction (default: SYNC_BATCH_SIZE). */
  batchSize?: number;
  onProgress?: (p: BackfillProgress) => void;
  signal?: AbortSignal;
}

const PAGE_ATTEMPTS = 3;

async function withRetries<T>(what: string, deps: SyncDeps, signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (signal.aborted || attempt + 1 >= PAGE_ATTEMPTS) throw new Error(`${what}: ${errorText(err)}`);
      const wait = retryDelayMs(attempt, Math.min(deps.config.sync.backoffBaseMs, 2_000), 10_000);
      deps.log.warn({ what, attempt: attempt + 1, retryInMs: wait, err: errorText(err) }, "sync backfill page failed; retrying");
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

/** One page of non-draft order ids after `afterId`. */
const orderIdsAfter = (q: Sql, afterId: number, limit: number): number[] =>
  q.all<{ id: number }>("SELECT id FROM pedidos WHERE rascunho = 0 AND id > ? ORDER BY id LIMIT ?", afterId, limit).map((r) => r.id);

/** Push elements of the current state of `ids` (each labelled with its order's last event id). */
function currentElements(q: Sql, ids: readonly number[]): PushElement[] {
  if (!ids.length) return [];
  return q
    .all<{
      id: number;
      numero: string | null;
      cliente: string | null;
      status: string | null;
      cents: number;
      at: string | null;
      last_event: number | null;
    }>(
      `SELECT p.id, p.numero, p.cliente, p.status, p.valor_total_cents AS cents, p.ultima_atualizacao AS at,
         (SELECT MAX(e.id) FROM event_log e WHERE e.order_id = p.id) AS last_event
       FROM pedidos p WHERE p.id IN (${ids.map(() => "?").join(", ")}) AND p.rascunho = 0 ORDER BY p.id`,
      ...ids,
    )
    .map((r) => ({
      pedido_id: r.id,
      numero: r.numero,
      cliente_nome: r.cliente,
      status: r.status,
      valor_total: (r.cents ?? 0) / 100,
      updated_at: toIsoUtc(r.at),
      event_id: r.last_event ?? 0,
    }));
}

/**
 * Sends the current state of every order (and user, to MySQL) to `sink`.
 * @throws AppError 400 when the sink is not configured; Error when a page keeps failing.
 * @example await backfillSink(deps, "mysql", { onProgress: (p) => console.log(`${p.phase} ${p.done}/${p.total}`) })
 */
export async function backfillSink(deps: SyncDeps, sink: SinkName, opts: BackfillOptions = {}): Promise<BackfillResult> {
  if (!configuredSinks(deps.config.sync).includes(sink)) {
    throw new AppError(400, `Sink "${sink}" não configurado (defina ${sink === "http" ? "SYNC_HTTP_URL" : "SYNC_MYSQL_URL"})`);
  }
  const started = Date.now();
  const signal = opts.signal ?? new AbortController().signal;
  const pageSize = Math.max(1, opts.batchSize ?? deps.config.sync.batchSize);
  const progress = (phase: BackfillProgress["phase"], done: number, total: number) => opts.onProgress?.({ sink, phase, done, total });
  // First the cursor: what is committed after this point reaches the sink through the worker.
  deps.db.writeSync((tx) => ensureSinkRow(tx, sink));
  const totalOrders = await deps.db.read((q) => q.get<{ n: number }>("SELECT COUNT(*) AS n FROM pedidos WHERE rascunho = 0")!.n);
  const result: BackfillResult = { sink, orders: 0, users: 0, removed: { orders: 0, users: 0 }, clearedPasswords: 0, elapsedMs: 0 };
  progress("orders", 0, totalOrders);

  if (sink === "http") {
    const s = deps.config.sync;
    const run = randomBytes(4).toString("hex");
    let after = 0;
    for (let page = 1; ; page++) {
      if (signal.aborted) throw new Error("backfill interrompido");
      const elements = await deps.db.read((q) => currentElements(q, orderIdsAfter(q, after, pageSize)));
      if (!elements.length) break;
      await withRetries(`pedidos após ${after}`, deps, signal, () =>
        postElements(
          { url: s.httpUrl!, key: s.httpKey, timeoutMs: s.httpTimeoutMs, version: deps.config.version },
          elements,
          `backfill-${run}-${page}`,
          signal,
        ),
      );
      after = elements[elements.length - 1].pedido_id;
      result.orders += elements.length;
      progress("orders", result.orders, totalOrders);
    }
    result.elapsedMs = Date.now() - started;
    return result;
  }

  const thumbnails = createThumbnailer({ log: deps.log });
  const mirror = new MysqlMirror(deps.db, {
    url: deps.config.sync.mysqlUrl!,
    timeoutMs: deps.config.sync.mysqlTimeoutMs,
    log: deps.log,
    media: deps.media,
    thumbnails,
  });
  try {
    const keepOrders = new Set<number>();
    let after = 0;
    for (;;) {
      if (signal.aborted) throw new Error("backfill interrompido");
      const ids = await deps.db.read((q) => orderIdsAfter(q, after, pageSize));
      if (!ids.length) break;
      await withRetries(`pedidos após ${after}`, deps, signal, () =>
        mirror.apply({ orderIds: ids, userIds: [], usernames: [] }, null, signal),
      );
      for (const id of ids) keepOrders.add(id);
      after = ids[ids.length - 1];
      result.orders += ids.length;
      progress("orders", result.orders, totalOrders);
    }
    const users = await deps.db.read((q) => q.all<{ id: number; username: string }>(`SELECT id, username FROM "user" ORDER BY id`));
    progress("users", 0, users.length);
    for (let i = 0; i < users.length; i += pageSize) {
      const page = users.slice(i, i + pageSize);
      await withRetries("usuários", deps, signal, () =>
        mirror.apply({ orderIds: [], userIds: page.map((u) => u.id), usernames: page.map((u) => u.username) }, null, signal),
      );
      result.users += page.length;
      progress("users", result.users, users.length);
    }
    progress("cleanup", 0, 1);
    result.removed.orders = await withRetries("limpeza de pedidos", deps, signal, () => mirror.removeAbsent("orders", keepOrders, signal));
    result.removed.users = await withRetries("limpeza de usuários", deps, signal, () =>
      mirror.removeAbsent("users", new Set(users.map((u) => u.username)), signal),
    );
    result.clearedPasswords = await withRetries("senhas", deps, signal, () => mirror.clearPasswords(signal));
    progress("cleanup", 1, 1);
  } finally {
    await mirror.close();
    await thumbnails.close();
  }
  result.elapsedMs = Date.now() - started;
  return result;
}
