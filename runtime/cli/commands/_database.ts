// Opening the configured database for a command, migrated as a server start would (and refused the same way when
// a newer SGP wrote it). Not a command: files starting with `_` are not listed (scripts/gen-functions.mjs).
import { openConfiguredDatabase, type Db } from "../../../lib/db/connection.ts";
import { migrate } from "../../../lib/db/migrate.ts";
import { installOrderHooks } from "../../../lib/orders/hooks.ts";
import type { Config } from "../../../lib/config.ts";
import { CliError, type CommandCtx } from "../command.ts";

export async function withDatabase<T>(ctx: CommandCtx, fn: (db: Db) => Promise<T> | T): Promise<T> {
  const config = ctx.config();
  const db = openConfiguredDatabase(config);
  try {
    installOrderHooks(db, config);
    const report = migrate(db, ctx.logger());
    if (report.applied.length) ctx.warn(`migrações aplicadas: ${report.applied.join(", ")}`);
    return await fn(db);
  } finally {
    db.close();
  }
}

/** Commands that work on the database file itself (backup, restore, check, import) do not apply to a remote primary. */
export function localDatabaseOnly(config: Config, command: string): void {
  if (config.databaseRemote) {
    throw new CliError(`sgp ${command}: o banco é remoto (${config.databaseRemote.url}); faça isto no servidor libSQL primário`, 2);
  }
}
