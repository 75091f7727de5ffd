// Opening the configured database for a command, migrated as a server start would (and refused the same way when
// a newer SGP wrote it). Not a command: files starting with `_` are not listed (scripts/gen-functions.mjs).
import { openDatabase, type Db } from "../../../lib/db/connection.ts";
import { migrate } from "../../../lib/db/migrate.ts";
import { installOrderHooks } from "../../../lib/orders/hooks.ts";
import type { CommandCtx } from "../command.ts";

export async function withDatabase<T>(ctx: CommandCtx, fn: (db: Db) => Promise<T> | T): Promise<T> {
  const config = ctx.config();
  const db = openDatabase(config.databasePath);
  try {
    installOrderHooks(db, config);
    const report = migrate(db, ctx.logger());
    if (report.applied.length) ctx.warn(`migrações aplicadas: ${report.applied.join(", ")}`);
    return await fn(db);
  } finally {
    db.close();
  }
}
