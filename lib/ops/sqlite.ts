// Raw SQLite connections for operations on files that are not (or not yet) the server's live database: backups,
// restores, checks, imports. They never change the file's journal mode or pragmas, unlike lib/db/connection.ts.
import Database from "libsql";
import { closeSync, existsSync, fsyncSync, openSync, readSync, statSync } from "node:fs";
import { pathToFileURL } from "node:url";
import type { Row, Sql } from "../db/connection.ts";
import { bindable } from "../db/connection.ts";

/** A plain `Sql` over a raw libsql connection (rows without the driver's `_metadata`). */
export function sqlOf(conn: Database.Database): Sql {
  const clean = <T>(row: unknown) => {
    if (row && typeof row === "object") delete (row as Row)._metadata;
    return row as T;
  };
  return {
    get: (s, ...p) => clean(conn.prepare(s).get(bindable(p))),
    all: (s, ...p) => (conn.prepare(s).all(bindable(p)) as unknown[]).map((r) => clean(r)),
    run: (s, ...p) => {
      const r = conn.prepare(s).run(bindable(p)) as { changes: number; lastInsertRowid: number | bigint };
      return { changes: r.changes, lastInsertRowid: Number(r.lastInsertRowid) };
    },
  };
}

export interface RawDb {
  conn: Database.Database;
  q: Sql;
  close(): void;
}

/** True when the file starts with SQLite's 16-byte header (so opening it cannot create or misread it). */
export function isSqliteFile(path: string): boolean {
  if (!existsSync(path) || !statSync(path).isFile()) return false;
  const fd = openSync(path, "r");
  try {
    const head = Buffer.alloc(16);
    return readSync(fd, head, 0, 16, 0) === 16 && head.toString("latin1") === "SQLite format 3\0";
  } finally {
    closeSync(fd);
  }
}

/**
 * Opens an existing database file. `readonly` uses SQLite's `mode=ro` URI, so nothing can be written through it,
 * even by mistake. Never creates a file: a missing path throws.
 */
export function openRaw(path: string, opts: { readonly?: boolean; busyTimeoutMs?: number } = {}): RawDb {
  if (!existsSync(path)) throw new Error(`arquivo não encontrado: ${path}`);
  const target = opts.readonly ? `${pathToFileURL(path).href}?mode=ro` : path;
  const conn = new Database(target, { timeout: opts.busyTimeoutMs ?? 10_000 });
  conn.exec(`PRAGMA busy_timeout = ${opts.busyTimeoutMs ?? 10_000}`);
  return {
    conn,
    q: sqlOf(conn),
    close: () => {
      try {
        conn.close();
      } catch {
        // already closed
      }
    },
  };
}

/** Flushes a file to the disk (a backup must survive a power cut right after it was reported done). */
export function fsyncFile(path: string): void {
  const fd = openSync(path, "r+");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export const tableExists = (q: Sql, name: string): boolean =>
  !!q.get("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = ?", name);

/** `YYYYMMDD-HHMMSS` in UTC: sorts as it reads, and means the same on every machine. */
export const fileStamp = (d = new Date()): string => d.toISOString().replace(/[-:]/g, "").replace("T", "-").replace(/\..*$/, "");
