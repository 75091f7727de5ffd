import type mysql from "mysql2/promise";
import type { Db, Param, Sql } from "../db/connection.ts";
import type { Logger } from "../log.ts";
import type { MediaStore } from "../media/store.ts";
import { STAGING_DIR } from "../media/files.ts";
import { ordersWhere } from "../orders/read.ts";
import type { PedidoResponse } from "../orders/wire.ts";
import { errorText, USER_EVENT_TYPES, type DeliveryContext, type DeliveryOutcome, type EventRef, type Sink } from "./events.ts";
import {
  MIRROR_DDL,
  mirrorImageRow,
  mirrorOrderRow,
  mirrorUserRow,
  PWA_IMAGENS_COLUMNS,
  PWA_PEDIDOS_COLUMNS,
  PWA_USERS_COLUMNS,
  type MirrorValue,
  type OrderImage,
} from "./mirror-rows.ts";
import { ThumbnailError, type Thumbnailer } from "./thumbnails.ts";

/**
 * The MySQL mirror (the original's "PWA" database): `pwa_pedidos`, `pwa_pedido_imagens` (300×300 JPEG thumbnails,
 * base64) and `pwa_users`, created when missing.
 *
 * An event says *which* order or user changed; the mirror gets its state **as it is now** in our database
 * (upserted, or deleted when it is gone or is a draft). So a batch touching one order fifty times writes it once,
 * a dead letter sent again late can never overwrite newer data with older, and the tables converge to ours.
 * Each delivery is one MySQL transaction that first locks `sgp_sync_state` (id 1) and only then reads our state:
 * every writer (this worker, a backfill from the command line) is serialized on that row, and the later writer
 * always read the later state. The transaction also records the last event it covers
 * (`sgp_sync_state.last_event_id`): COMMIT is the acknowledgement.
 *
 * Thumbnails are made before the transaction (in the thumbnail thread), only for images the mirror does not hold
 * yet (matched by our unique file name), so an order edited again and again is not re-encoded each time.
 */
export interface MysqlSinkOptions {
  url: string;
  timeoutMs: number;
  log: Logger;
  media: MediaStore;
  thumbnails: Thumbnailer;
}

/** Bound on one multi-row statement (MySQL's default max_allowed_packet is 16–64 MB). */
const MAX_STATEMENT_BYTES = 1_000_000;
/** Thumbnails kept in memory between a delivery's preparation and its transaction, and across retries. */
const THUMB_CACHE_ENTRIES = 128;

/** Connection options from `mysql://user:pass@host:port/db?ssl=…` (query parameters are mysql2 options, JSON when they parse). */
export function mysqlOptionsOf(url: string, timeoutMs: number): mysql.ConnectionOptions {
  const u = new URL(url);
  const extra: Record<string, unknown> = {};
  for (const [k, v] of u.searchParams) {
    try {
      extra[k] = JSON.parse(v);
    } catch {
      extra[k] = v;
    }
  }
  return {
    ...extra,
    host: decodeURIComponent(u.hostname.replace(/^\[|\]$/g, "")),
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.replace(/^\//, "")),
    connectTimeout: timeoutMs,
    charset: "UTF8MB4_GENERAL_CI",
    timezone: "Z",
    dateStrings: true,
    supportBigNumbers: true,
    multipleStatements: false,
    enableKeepAlive: true,
  };
}

/** What a set of events asks the mirror to refresh. */
export interface MirrorTouch {
  orderIds: number[];
  userIds: number[];
  /** Usernames a user event named (current, previous, deleted): a name no user holds any more leaves the mirror. */
  usernames: string[];
}

/** The orders and users events `[from, to]` touch (user fields read in SQL from the payloads). */
export function touchedBy(q: Sql, events: readonly EventRef[]): MirrorTouch {
  const orderIds = [...new Set(events.filter((e) => e.orderId !== null).map((e) => e.orderId as number))];
  const userIds = new Set<number>();
  const usernames = new Set<string>();
  if (events.some((e) => USER_EVENT_TYPES.includes(e.type))) {
    const rows = q.all<{ uid: number | null; uname: string | null; prev: string | null; did: number | null; dname: string | null }>(
      `SELECT json_extract(payload, '$.user.id') AS uid, json_extract(payload, '$.user.username') AS uname,
         json_extract(payload, '$.previous_username') AS prev, json_extract(payload, '$.user_id') AS did, json_extract(payload, '$.username') AS dname
       FROM event_log WHERE id BETWEEN ? AND ? AND type IN (${USER_EVENT_TYPES.map((t) => `'${t}'`).join(", ")})`,
      events[0].id,
      events[events.length - 1].id,
    );
    for (const r of rows) {
      for (const id of [r.uid, r.did]) if (typeof id === "number") userIds.add(id);
      for (const n of [r.uname, r.prev, r.dname]) if (typeof n === "string" && n) usernames.add(n);
    }
  }
  return { orderIds, userIds: [...userIds], usernames: [...usernames] };
}

const placeholders = (n: number) => Array.from({ length: n }, () => "?").join(", ");

interface OrderState {
  /** Orders to upsert (they exist and are not drafts). */
  present: PedidoResponse[];
  /** Ids to remove from the mirror (gone, or drafts). */
  absent: number[];
  images: Map<number, (OrderImage & { path: string })[]>;
}

/** Our current state of `ids` (one consistent read: one synchronous call on the one connection). */
export function readOrderState(q: Sql, ids: readonly number[]): OrderState {
  const state: OrderState = { present: [], absent: [], images: new Map() };
  if (ids.length === 0) return state;
  const orders = ordersWhere(q, `id IN (${placeholders(ids.length)})`, ids as Param[], "id");
  const found = new Map(orders.map((o) => [o.id, o]));
  for (const id of ids) {
    const o = found.get(id);
    if (o && !o.rascunho) state.present.push(o);
    else state.absent.push(id);
  }
  if (state.present.length) {
    const rows = q.all<{
      pedido_id: number;
      item_index: number | null;
      item_identificador: string | null;
      filename: string;
      path: string;
      criado_em: string | null;
    }>(
      `SELECT pedido_id, item_index, item_identificador, filename, path, criado_em FROM pedido_imagens
       WHERE pedido_id IN (${placeholders(state.present.length)}) ORDER BY id`,
      ...state.present.map((o) => o.id),
    );
    for (const r of rows) {
      const list = state.images.get(r.pedido_id) ?? [];
      list.push({
        pedidoId: r.pedido_id,
        itemIndex: r.item_index,
        itemIdentificador: r.item_identificador,
        filename: r.filename,
        path: String(r.path).replace(/\\/g, "/"),
        createdAt: r.criado_em,
      });
      state.images.set(r.pedido_id, list);
    }
  }
  return state;
}

interface UserState {
  present: { id: number; username: string; is_admin: number; is_active: number; created_at: string | null; updated_at: string | null }[];
  /** Names no user of ours holds: removed from the mirror. */
  goneNames: string[];
}

function readUserState(q: Sql, t: MirrorTouch): UserState {
  const present = t.userIds.length
    ? q.all<UserState["present"][number]>(
        `SELECT id, username, is_admin, is_active, created_at, updated_at FROM "user" WHERE id IN (${placeholders(t.userIds.length)})`,
        ...t.userIds,
      )
    : [];
  const held = t.usernames.length
    ? new Set(
        q
          .all<{ username: string }>(`SELECT username FROM "user" WHERE username IN (${placeholders(t.usernames.length)})`, ...t.usernames)
          .map((r) => r.username),
      )
    : new Set<string>();
  return { present, goneNames: t.usernames.filter((n) => !held.has(n)) };
}

type Conn = mysql.Connection;

/** The mirror's connection and statements; shared by the sink (`deliver`) and the backfill. */
export class MysqlMirror {
  private conn: Conn | null = null;
  private connecting: Promise<Conn> | null = null;
  /** filename → thumbnail base64, or null for an image that cannot have one (not retried by this process). */
  private readonly thumbs = new Map<string, string | null>();

  constructor(
    private readonly db: Db,
    private readonly opts: MysqlSinkOptions,
  ) {}

  /** The open connection (tables ensured), connecting when needed, within the timeout and `signal`. */
  async connection(signal: AbortSignal): Promise<Conn> {
    if (this.conn) return this.conn;
    this.connecting ??= (async () => {
      // Loaded on first use: a server without the mirror never evaluates the driver (1.3 MB with its encodings).
      const { createConnection } = await import("mysql2/promise");
      const conn = await createConnection(mysqlOptionsOf(this.opts.url, this.opts.timeoutMs));
      // A fatal error on an idle connection is emitted as an event: without a listener it would end the process.
      conn.on("error", (err: Error) => {
        this.opts.log.warn({ err: errorText(err) }, "sync mysql connection error");
        if (this.conn === conn) this.conn = null;
      });
      try {
        for (const ddl of MIRROR_DDL) await conn.query({ sql: ddl, timeout: this.opts.timeoutMs });
      } catch (err) {
        conn.destroy();
        throw err;
      }
      return conn;
    })().finally(() => (this.connecting = null));
    const conn = await raceAbort(this.connecting, signal, (c) => c.destroy());
    this.conn = conn;
    return conn;
  }

  /** Drops the connection (after any failure: the next delivery starts on a fresh one). */
  reset(): void {
    const c = this.conn;
    this.conn = null;
    c?.destroy();
  }

  async close(): Promise<void> {
    const c = this.conn;
    this.conn = null;
    if (!c) return;
    await Promise.race([c.end().catch(() => c.destroy()), new Promise((r) => setTimeout(r, 1_000).unref())]);
    c.destroy();
  }

  private async q<T = unknown>(conn: Conn, sql: string, values?: unknown[]): Promise<T> {
    const [rows] = await conn.query({ sql, values, timeout: this.opts.timeoutMs });
    return rows as T;
  }

  /** INSERT … VALUES (…), (…) ON DUPLICATE KEY UPDATE, in statements of bounded size. */
  private async upsert(conn: Conn, table: string, columns: readonly string[], rows: MirrorValue[][], update: string): Promise<void> {
    let chunk: MirrorValue[][] = [];
    let bytes = 0;
    const flush = async () => {
      if (!chunk.length) return;
      await this.q(conn, `INSERT INTO ${table} (${columns.join(", ")}) VALUES ? ON DUPLICATE KEY UPDATE ${update}`, [chunk]);
      chunk = [];
      bytes = 0;
    };
    for (const row of rows) {
      const size = row.reduce<number>((n, v) => n + (typeof v === "string" ? v.length * 2 : 8), 16);
      if (bytes + size > MAX_STATEMENT_BYTES) await flush();
      chunk.push(row);
      bytes += size;
    }
    await flush();
  }

  /** Thumbnails (into the cache) for the images of `state` whose file name the mirror does not hold yet. */
  private async prepareThumbnails(state: OrderState, have: Set<string>, signal: AbortSignal): Promise<void> {
    for (const list of state.images.values()) {
      for (const img of list) {
        if (signal.aborted) throw new Error("entrega interrompida");
        if (have.has(img.filename) || this.thumbs.has(img.filename)) continue;
        await this.thumbnailOf(img);
      }
    }
  }

  /** The thumbnail of one image, cached; null when it cannot have one (missing file, unsupported format…). */
  private async thumbnailOf(img: OrderImage & { path: string }): Promise<string | null> {
    if (this.thumbs.has(img.filename)) return this.thumbs.get(img.filename)!;
    // The file is in its final place, or still in staging when its move after COMMIT has not happened yet.
    const candidates = [img.path, `${STAGING_DIR}/${img.filename}`];
    for (let round = 0; round < 2; round++) {
      for (const rel of candidates) {
        const abs = await this.opts.media.realPathInside(rel);
        if (!abs) continue;
        try {
          const t = await this.opts.thumbnails.thumbnail(abs);
          this.remember(img.filename, t.base64);
          return t.base64;
        } catch (err) {
          if (err instanceof ThumbnailError && err.missing) continue; // moved meanwhile: look again
          this.opts.log.warn({ filename: img.filename, pedidoId: img.pedidoId, err: errorText(err) }, "sync: no thumbnail for this image");
          this.remember(img.filename, null);
          return null;
        }
      }
    }
    // Not on disk: left out of the mirror for now (the order's next change looks again).
    return null;
  }

  private remember(filename: string, value: string | null): void {
    this.thumbs.delete(filename);
    this.thumbs.set(filename, value);
    while (this.thumbs.size > THUMB_CACHE_ENTRIES) this.thumbs.delete(this.thumbs.keys().next().value!);
  }

  /**
   * Makes the mirror equal to our current state for what `touch` names, in one transaction.
   * `lastEventId`: the last event of the log this covers (recorded in sgp_sync_state), or null (redelivery, backfill).
   * @returns how many orders had their items cut to fit (for the log).
   */
  /**
   * Thumbnails of the images of `orderIds` the mirror does not hold yet, into the cache: the slow part of a
   * delivery, done before it (and before its time budget) and outside any transaction.
   */
  async prepare(orderIds: readonly number[], signal: AbortSignal): Promise<void> {
    const draft = await this.db.read((q) => readOrderState(q, orderIds));
    if (![...draft.images.values()].some((list) => list.some((img) => !this.thumbs.has(img.filename)))) return;
    const conn = await this.connection(signal);
    const have = await this.mirrorFilenames(
      conn,
      draft.present.map((o) => o.id),
    );
    await this.prepareThumbnails(draft, have, signal);
  }

  async apply(touch: MirrorTouch, lastEventId: number | null, signal: AbortSignal): Promise<{ reduced: number }> {
    const conn = await this.connection(signal);
    const onAbort = () => this.reset();
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      await this.prepare(touch.orderIds, signal);
      await conn.beginTransaction();
      try {
        await this.q(conn, "SELECT last_event_id FROM sgp_sync_state WHERE id = 1 FOR UPDATE");
        // Under the lock: our state now (a synchronous read, so it is one consistent snapshot).
        const { orders, users } = await this.db.read((q) => ({
          orders: readOrderState(q, touch.orderIds),
          users: readUserState(q, touch),
        }));
        const reduced = await this.writeOrders(conn, orders, signal);
        await this.writeUsers(conn, users);
        if (lastEventId !== null) {
          await this.q(
            conn,
            "UPDATE sgp_sync_state SET last_event_id = GREATEST(last_event_id, ?), updated_at = UTC_TIMESTAMP() WHERE id = 1",
            [lastEventId],
          );
        }
        if (signal.aborted) throw new Error("entrega interrompida");
        await conn.commit();
        return { reduced };
      } catch (err) {
        await conn.rollback().catch(() => {});
        throw err;
      }
    } catch (err) {
      this.reset();
      throw err;
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  }

  private async mirrorFilenames(conn: Conn, orderIds: number[]): Promise<Set<string>> {
    if (!orderIds.length) return new Set();
    const rows = await this.q<{ filename: string }[]>(conn, "SELECT filename FROM pwa_pedido_imagens WHERE pedido_id IN (?)", [orderIds]);
    return new Set(rows.map((r) => r.filename));
  }

  private async writeOrders(conn: Conn, state: OrderState, signal: AbortSignal): Promise<number> {
    if (state.absent.length) {
      await this.q(conn, "DELETE FROM pwa_pedido_imagens WHERE pedido_id IN (?)", [state.absent]);
      await this.q(conn, "DELETE FROM pwa_pedidos WHERE pedido_id IN (?)", [state.absent]);
    }
    if (!state.present.length) return 0;
    let reduced = 0;
    const rows = state.present.map((o) => {
      const r = mirrorOrderRow(o);
      if (r.reduced !== "no") {
        reduced++;
        this.opts.log.warn({ pedidoId: o.id, reduced: r.reduced }, "sync: items_json above 60 KB, reduced for the mirror");
      }
      return r.values;
    });
    const cols = PWA_PEDIDOS_COLUMNS.map(([c]) => c);
    await this.upsert(
      conn,
      "pwa_pedidos",
      cols,
      rows,
      cols
        .filter((c) => c !== "pedido_id")
        .map((c) => `${c} = VALUES(${c})`)
        .join(", "),
    );

    // Images: keep what the mirror has (by our unique file name), drop what is gone, add what is new.
    const ids = state.present.map((o) => o.id);
    const mirror = await this.q<
      { id: number; pedido_id: number; filename: string | null; item_index: number | null; item_identificador: string | null }[]
    >(conn, "SELECT id, pedido_id, filename, item_index, item_identificador FROM pwa_pedido_imagens WHERE pedido_id IN (?) ORDER BY id", [
      ids,
    ]);
    const mineByKey = new Map<string, (typeof mirror)[number]>();
    const drop: number[] = [];
    for (const m of mirror) {
      const key = `${m.pedido_id}/${m.filename}`;
      if (mineByKey.has(key)) drop.push(m.id);
      else mineByKey.set(key, m);
    }
    const inserts: MirrorValue[][] = [];
    const keep = new Set<number>();
    for (const id of ids) {
      for (const img of state.images.get(id) ?? []) {
        const m = mineByKey.get(`${id}/${img.filename}`);
        if (m) {
          keep.add(m.id);
          if (m.item_index !== img.itemIndex || m.item_identificador !== img.itemIdentificador) {
            await this.q(conn, "UPDATE pwa_pedido_imagens SET item_index = ?, item_identificador = ? WHERE id = ?", [
              img.itemIndex,
              img.itemIdentificador,
              m.id,
            ]);
          }
          continue;
        }
        if (signal.aborted) throw new Error("entrega interrompida");
        const thumb = await this.thumbnailOf(img);
        if (thumb) inserts.push(mirrorImageRow(img, thumb));
      }
    }
    for (const m of mineByKey.values()) if (!keep.has(m.id)) drop.push(m.id);
    if (drop.length) await this.q(conn, "DELETE FROM pwa_pedido_imagens WHERE id IN (?)", [drop]);
    if (inserts.length)
      await this.upsert(
        conn,
        "pwa_pedido_imagens",
        PWA_IMAGENS_COLUMNS.map(([c]) => c),
        inserts,
        "id = id",
      );
    return reduced;
  }

  private async writeUsers(conn: Conn, users: UserState): Promise<void> {
    if (users.present.length) {
      const rows = users.present.map((u) =>
        mirrorUserRow({
          username: u.username,
          isAdmin: !!u.is_admin,
          isActive: !!u.is_active,
          createdAt: u.created_at,
          updatedAt: u.updated_at,
        }),
      );
      const cols = PWA_USERS_COLUMNS.map(([c]) => c);
      // password = NULL on every upsert: a row the original wrote with a hash loses it at its first change.
      await this.upsert(
        conn,
        "pwa_users",
        cols,
        rows,
        cols
          .filter((c) => c !== "username")
          .map((c) => (c === "password" ? "password = NULL" : `${c} = VALUES(${c})`))
          .join(", "),
      );
    }
    if (users.goneNames.length) await this.q(conn, "DELETE FROM pwa_users WHERE username IN (?)", [users.goneNames]);
  }

  /** The mirror's ids (orders or users) not in `keep`: for the backfill, which makes the tables equal to ours. */
  async removeAbsent(kind: "orders" | "users", keep: ReadonlySet<number | string>, signal: AbortSignal): Promise<number> {
    const conn = await this.connection(signal);
    const rows =
      kind === "orders"
        ? (await this.q<{ k: number }[]>(conn, "SELECT pedido_id AS k FROM pwa_pedidos")).map((r) => r.k)
        : (await this.q<{ k: string }[]>(conn, "SELECT username AS k FROM pwa_users")).map((r) => r.k);
    const gone = rows.filter((k) => !keep.has(k));
    for (let i = 0; i < gone.length; i += 500) {
      const part = gone.slice(i, i + 500);
      await conn.beginTransaction();
      try {
        await this.q(conn, "SELECT last_event_id FROM sgp_sync_state WHERE id = 1 FOR UPDATE");
        // Re-checked under the lock: one created meanwhile (and mirrored by the worker) stays.
        const still = await this.db.read((q) =>
          kind === "orders"
            ? new Set(
                q
                  .all<{ id: number }>(
                    `SELECT id FROM pedidos WHERE rascunho = 0 AND id IN (${placeholders(part.length)})`,
                    ...(part as number[]),
                  )
                  .map((r) => r.id as number | string),
              )
            : new Set(
                q
                  .all<{ username: string }>(
                    `SELECT username FROM "user" WHERE username IN (${placeholders(part.length)})`,
                    ...(part as string[]),
                  )
                  .map((r) => r.username as number | string),
              ),
        );
        const remove = part.filter((k) => !still.has(k));
        if (remove.length && kind === "orders") {
          await this.q(conn, "DELETE FROM pwa_pedido_imagens WHERE pedido_id IN (?)", [remove]);
          await this.q(conn, "DELETE FROM pwa_pedidos WHERE pedido_id IN (?)", [remove]);
        } else if (remove.length) {
          await this.q(conn, "DELETE FROM pwa_users WHERE username IN (?)", [remove]);
        }
        await conn.commit();
      } catch (err) {
        await conn.rollback().catch(() => {});
        this.reset();
        throw err;
      }
    }
    return gone.length;
  }

  /** Clears every password the original copied to `pwa_users` (ours never sends one). */
  async clearPasswords(signal: AbortSignal): Promise<number> {
    const conn = await this.connection(signal);
    const r = await this.q<{ affectedRows: number }>(conn, "UPDATE pwa_users SET password = NULL WHERE password IS NOT NULL");
    return r.affectedRows;
  }
}

/** Resolves with `p`, or rejects when `signal` aborts first (what `p` yields late is disposed of). */
async function raceAbort<T>(p: Promise<T>, signal: AbortSignal, dispose: (v: T) => void): Promise<T> {
  if (signal.aborted) {
    p.then(dispose, () => {});
    throw new Error("entrega interrompida");
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      p.then(dispose, () => {});
      reject(new Error("entrega interrompida"));
    };
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        if (signal.aborted) return;
        resolve(v);
      },
      (err) => {
        signal.removeEventListener("abort", onAbort);
        reject(err);
      },
    );
  });
}

export function createMysqlSink(db: Db, opts: MysqlSinkOptions): Sink & { mirror: MysqlMirror } {
  const mirror = new MysqlMirror(db, opts);
  return {
    name: "mysql",
    mirror,
    async prepare(events: readonly EventRef[], ctx: DeliveryContext): Promise<void> {
      const ids = [...new Set(events.filter((e) => e.orderId !== null).map((e) => e.orderId as number))];
      if (ids.length) await mirror.prepare(ids, ctx.signal);
    },
    async deliver(events: readonly EventRef[], ctx: DeliveryContext): Promise<DeliveryOutcome> {
      if (events.length === 0) return { delivered: 0, skipped: 0 };
      const touch = await db.read((q) => touchedBy(q, events));
      const relevant = events.filter((e) => e.orderId !== null || USER_EVENT_TYPES.includes(e.type)).length;
      if (relevant === 0) return { delivered: 0, skipped: events.length };
      await mirror.apply(touch, ctx.redelivery ? null : events[events.length - 1].id, ctx.signal);
      return { delivered: relevant, skipped: events.length - relevant };
    },
    async close() {
      await mirror.close();
      await opts.thumbnails.close();
    },
  };
}
