import Database from "libsql";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { isBusyError, UnavailableError } from "../errors.ts";
import { nowIso } from "../time.ts";
import type { Config } from "../config.ts";

export type Row = Record<string, unknown>;
export type Param = string | number | bigint | null | Uint8Array | boolean;

const bindOne = (p: unknown) => (typeof p === "boolean" ? (p ? 1 : 0) : p);

/**
 * Parameters as libsql can bind them: one positional array (libsql reads a lone object argument as named
 * parameters, so a lone null threw and a lone Uint8Array aborted the process), booleans as 1/0 (the driver
 * aborts the process on a boolean). A lone plain object still binds by name (`@today`).
 */
export function bindable(params: unknown[]): unknown {
  const one = params[0];
  if (params.length === 1 && one !== null && typeof one === "object" && !ArrayBuffer.isView(one)) {
    return Object.fromEntries(Object.entries(one).map(([k, v]) => [k, bindOne(v)]));
  }
  return params.map(bindOne);
}

/** Synchronous SQL on the one connection. Rows come back as plain objects (the driver's `_metadata` removed). */
export interface Sql {
  get<T = Row>(sql: string, ...params: Param[]): T | undefined;
  all<T = Row>(sql: string, ...params: Param[]): T[];
  run(sql: string, ...params: Param[]): { changes: number; lastInsertRowid: number };
}

/** An event to append to the event log inside a write transaction (the outbox). */
export interface NewEvent {
  type: string;
  orderId: number | null;
  /** The wire message without `event_id` (added when it is delivered). */
  payload: Record<string, unknown>;
  actor?: { id: number; username: string } | null;
  /**
   * In memory only, never stored: the event's subject as it was before this write (null: it did not exist).
   * In-transaction hooks compare it with the payload (stock deduction, say).
   */
  before?: unknown;
  /** The payload already serialized (it must be `payload` as JSON): stored as it is, not serialized again. */
  payloadJson?: string;
  /** In memory only, for in-transaction hooks: whatever the emitter computed for them (the serialized order, …). */
  meta?: unknown;
}

/** An event as committed to the log. */
export interface CommittedEvent {
  id: number;
  type: string;
  orderId: number | null;
  payload: Record<string, unknown>;
  /** `payload` as stored in the log (serialized once, at emit). */
  payloadJson: string;
  actorId: number | null;
  actorName: string | null;
  createdAt: string;
}

/** The body of a write transaction: plain SQL plus `emit`, which appends to the event log in the same transaction. */
export interface Tx extends Sql {
  emit(event: NewEvent): CommittedEvent;
}

export type CommitListener = (events: CommittedEvent[]) => void;

/**
 * An effect that must commit or roll back with the write that emitted `event` (PocketBase's model hooks, as
 * opposed to its after-success hooks): it runs synchronously inside `tx.emit`, in the same transaction, and a
 * throw rolls the whole write back. `before` is the emitter's `NewEvent.before`; `emitted` is the whole `NewEvent`
 * (its in-memory `meta`).
 */
export type EventHook = (tx: Tx, event: CommittedEvent, before: unknown, emitted: NewEvent) => void;

/**
 * The database handle every handler gets as `ctx.db`.
 * `write(fn)` runs `fn` in one `BEGIN IMMEDIATE` transaction. `fn` is synchronous, so no other request can
 * interleave with it: there is no lock to forget. Events emitted inside are handed to the commit listeners only
 * after COMMIT, and dropped on rollback.
 * note: async at the boundary, so a remote libSQL driver can slot in without touching handlers.
 */
export interface Db {
  read<T>(fn: (q: Sql) => T): Promise<T>;
  write<T>(fn: (tx: Tx) => T): Promise<T>;
  /** Same as `write`, for migrations and bootstrap code that runs before the server listens. */
  writeSync<T>(fn: (tx: Tx) => T): T;
  onCommit(listener: CommitListener): () => void;
  /** Registers an in-transaction hook, run on every event emitted from then on, in registration order. */
  onEvent(hook: EventHook): () => void;
  /** `PRAGMA data_version`: changes when another connection commits (used to tail the event log). */
  dataVersion(): number;
  readonly path: string;
  /** A remote primary's replica: no local backup, checkpoint or VACUUM applies (docs/operations.md). */
  readonly remote: boolean;
  readonly raw: Database.Database;
  close(): void;
}

/** A remote libSQL primary served through an embedded replica (`DATABASE_URL=libsql://…`; lib/config.ts). */
export interface RemoteOptions {
  url: string;
  authToken: string | null;
  /** How often the replica pulls what other servers committed (each pull is a synchronous round trip). */
  syncIntervalMs: number;
}

export interface OpenOptions {
  busyTimeoutMs?: number;
  remote?: RemoteOptions | null;
}

/** The configured database: the local file, or the remote primary's replica. */
export const openConfiguredDatabase = (config: Pick<Config, "databasePath" | "databaseRemote">, opts: OpenOptions = {}): Db =>
  openDatabase(config.databasePath, { ...opts, remote: config.databaseRemote });

export function openDatabase(path: string, opts: OpenOptions = {}): Db {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const remote = opts.remote ?? null;
  let conn: Database.Database;
  if (remote) {
    // Reads run on the local replica; writes (and every statement of a write transaction, BEGIN on) are delegated
    // to the primary; readYourWrites makes a commit visible locally before write() returns.
    // (libsql's typings predate authToken and readYourWrites.)
    conn = new Database(path, { syncUrl: remote.url, authToken: remote.authToken ?? "", readYourWrites: true } as Database.Options);
    conn.sync();
    // The primary's journal and sync modes are its own; only the per-connection setting matters here.
    conn.exec("PRAGMA foreign_keys = ON");
  } else {
    conn = new Database(path, { timeout: opts.busyTimeoutMs ?? 5000 });
    conn.exec("PRAGMA journal_mode = WAL");
    conn.exec("PRAGMA synchronous = NORMAL");
    conn.exec("PRAGMA foreign_keys = ON");
    conn.exec(`PRAGMA busy_timeout = ${opts.busyTimeoutMs ?? 5000}`);
    conn.exec("PRAGMA temp_store = MEMORY");
    conn.exec("PRAGMA cache_size = -64000");
  }

  const statements = new Map<string, Database.Statement>();
  // note: a replica's statements are not cached: one prepared before a sync keeps reading the old snapshot.
  const prepare = (sql: string): Database.Statement => {
    if (remote) return conn.prepare(sql);
    let stmt = statements.get(sql);
    if (!stmt) {
      stmt = conn.prepare(sql);
      statements.set(sql, stmt);
    }
    return stmt;
  };
  const sql: Sql = {
    get<T>(text: string, ...params: Param[]) {
      // note: libsql 0.5's get() on a replica can answer from a stale snapshot; all() does not.
      const row = (remote ? (prepare(text).all(bindable(params)) as Row[])[0] : prepare(text).get(bindable(params))) as Row | undefined;
      if (row) delete row._metadata;
      return row as T | undefined;
    },
    all<T>(text: string, ...params: Param[]) {
      const rows = prepare(text).all(bindable(params)) as Row[];
      for (const r of rows) delete r._metadata;
      return rows as T[];
    },
    run(text: string, ...params: Param[]) {
      const r = prepare(text).run(bindable(params)) as { changes: number; lastInsertRowid: number | bigint };
      return { changes: r.changes, lastInsertRowid: Number(r.lastInsertRowid) };
    },
  };

  // What other connections committed: SQLite's data_version locally; on a replica, a counter bumped by each pull
  // that brought frames (the log tailer of runtime/realtime polls it).
  let pulled = 0;
  let lastFrame: unknown = null;
  const pull = () => {
    const r = JSON.stringify(conn.sync() ?? null);
    if (r !== lastFrame) {
      lastFrame = r;
      pulled++;
    }
  };
  const syncTimer = remote
    ? setInterval(() => {
        try {
          pull();
        } catch (err) {
          process.emitWarning(`libSQL sync failed: ${(err as Error).message}`);
        }
      }, remote.syncIntervalMs)
    : null;
  syncTimer?.unref();

  const listeners = new Set<CommitListener>();
  const hooks = new Set<EventHook>();
  let pending: CommittedEvent[] | null = null;
  const tx: Tx = {
    ...sql,
    emit(event) {
      if (!pending) throw new Error("emit() outside a write transaction");
      const createdAt = nowIso();
      const payload = event.payloadJson ?? JSON.stringify(event.payload);
      // The write an event belongs to (an order's history shows one entry per write): the id of the first event of
      // this transaction; NULL on that first event itself, so a write costs no extra statement (migration 012).
      const writeId = pending.length ? pending[0].id : null;
      const r = sql.run(
        "INSERT INTO event_log (type, order_id, payload, actor_id, actor_name, created_at, write_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
        event.type,
        event.orderId,
        payload,
        event.actor?.id ?? null,
        event.actor?.username ?? null,
        createdAt,
        writeId,
      );
      const committed: CommittedEvent = {
        id: r.lastInsertRowid,
        type: event.type,
        orderId: event.orderId,
        payload: event.payload,
        payloadJson: payload,
        actorId: event.actor?.id ?? null,
        actorName: event.actor?.username ?? null,
        createdAt,
      };
      pending.push(committed);
      for (const hook of hooks) hook(tx, committed, event.before, event);
      return committed;
    },
  };

  const writeSync = <T>(fn: (t: Tx) => T): T => {
    if (pending) return fn(tx); // nested: part of the outer transaction
    pending = [];
    let events: CommittedEvent[] = [];
    let result: T;
    try {
      // note: not libsql's transaction(): its unconditional ROLLBACK throws "no transaction is active" after
      // SQLite rolled back by itself (disk full), hiding the real error.
      conn.exec("BEGIN IMMEDIATE");
      try {
        result = fn(tx);
        if (result instanceof Promise) throw new Error("write() body must be synchronous: never await inside a transaction");
        if (!conn.inTransaction) throw new Error("SQLite rolled the transaction back (an error was caught inside write())");
        conn.exec("COMMIT");
      } catch (err) {
        if (conn.inTransaction) conn.exec("ROLLBACK");
        throw err;
      }
      events = pending;
    } catch (err) {
      if (isBusyError(err)) throw new UnavailableError(err);
      throw err;
    } finally {
      pending = null;
    }
    // A listener failure (a dead socket, say) must not turn a committed write into an error for the caller.
    if (events.length)
      for (const l of listeners) {
        try {
          l(events);
        } catch (err) {
          process.emitWarning(`commit listener failed: ${(err as Error).message}`);
        }
      }
    return result;
  };

  let closed = false;
  return {
    path,
    remote: remote !== null,
    raw: conn,
    async read(fn) {
      try {
        return fn(sql);
      } catch (err) {
        if (isBusyError(err)) throw new UnavailableError(err);
        throw err;
      }
    },
    async write(fn) {
      return writeSync(fn);
    },
    writeSync,
    onCommit(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onEvent(hook) {
      hooks.add(hook);
      return () => hooks.delete(hook);
    },
    dataVersion() {
      if (remote) return pulled;
      return Number((conn.prepare("PRAGMA data_version").get() as Row).data_version);
    },
    close() {
      if (closed) return;
      closed = true;
      statements.clear();
      if (syncTimer) clearInterval(syncTimer);
      if (remote) {
        conn.close(); // the primary checkpoints itself; the replica file is a cache
        return;
      }
      try {
        conn.exec("PRAGMA optimize");
        conn.exec("PRAGMA wal_checkpoint(TRUNCATE)");
      } catch {
        // best effort: closing still releases the file
      }
      conn.close();
    },
  };
}
