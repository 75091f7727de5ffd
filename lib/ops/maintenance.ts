// Database upkeep that keeps query plans good for years without anyone thinking about it.
import type { Db } from "../db/connection.ts";
import type { Logger } from "../log.ts";
import { nowIso } from "../time.ts";
import { tableExists } from "./sqlite.ts";

/**
 * `PRAGMA optimize` with a bounded analysis (SQLite samples at most `analysis_limit` rows per index), so it costs
 * milliseconds on the server's own connection even on a large database. Run at start and daily.
 */
export function optimizeDatabase(db: Db, log: Logger): void {
  if (db.remote) return; // the primary keeps its own statistics
  const started = performance.now();
  try {
    db.raw.exec("PRAGMA analysis_limit = 400");
    db.raw.exec("PRAGMA optimize");
    markDone(db, "last_optimize");
    log.debug({ ms: Math.round(performance.now() - started) }, "database optimized");
  } catch (err) {
    log.warn({ err }, "PRAGMA optimize failed");
  }
}

/** A full `ANALYZE` after migrations changed the schema (before the server listens, so no request waits on it). */
export function analyzeDatabase(db: Db, log: Logger): void {
  if (db.remote) return;
  const started = performance.now();
  db.raw.exec("ANALYZE");
  markDone(db, "last_analyze");
  log.info({ ms: Math.round(performance.now() - started) }, "database analyzed after migrations");
}

function markDone(db: Db, key: string): void {
  db.writeSync((tx) => {
    if (!tableExists(tx, "ops_state")) return;
    const now = nowIso();
    tx.run(
      "INSERT INTO ops_state (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
      key,
      now,
      now,
    );
  });
}
