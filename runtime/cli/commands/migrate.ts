// `sgp migrate [--status]`: applies pending migrations (what a server start does), or only lists them.
import { openConfiguredDatabase } from "../../../lib/db/connection.ts";
import { migrate, migrationStatus, NewerDatabaseError } from "../../../lib/db/migrate.ts";
import { analyzeDatabase } from "../../../lib/ops/maintenance.ts";
import { isSqliteFile, openRaw } from "../../../lib/ops/sqlite.ts";
import { installOrderHooks } from "../../../lib/orders/hooks.ts";
import { defineCommand, type CommandCtx } from "../command.ts";

export default defineCommand({
  name: "migrate",
  summary: "aplica as migrações pendentes (--status: lista)",
  usage: "migrate [--status]",
  description:
    "Um servidor aplica as migrações sozinho ao iniciar; este comando as aplica (ou lista) sem iniciá-lo.\nAntes de migrar um banco com dados, uma cópia é gravada ao lado (<banco>.backup-<data>).",
  options: { status: { type: "boolean" } },
  optionHelp: { status: "mostra aplicadas e pendentes, sem mudar nada (sai com 1 só se o banco for de uma versão mais nova)" },
  async run(ctx) {
    const config = ctx.config();
    if (ctx.values.status && config.databaseRemote) {
      // The primary's state, read through the replica (nothing is migrated).
      const db = openConfiguredDatabase(config);
      try {
        return await db.read((q) => printStatus(ctx, config.databaseRemote!.url, migrationStatus(q)));
      } finally {
        db.close();
      }
    }
    if (ctx.values.status) {
      if (!isSqliteFile(config.databasePath)) {
        ctx.print(`${config.databasePath}: não existe (será criado no primeiro início)`);
        return 1;
      }
      const db = openRaw(config.databasePath, { readonly: true });
      try {
        return printStatus(ctx, config.databasePath, migrationStatus(db.q));
      } finally {
        db.close();
      }
    }
    const db = openConfiguredDatabase(config);
    try {
      installOrderHooks(db, config);
      const log = ctx.logger();
      const report = migrate(db, log);
      if (report.applied.length) analyzeDatabase(db, log);
      if (report.backup) ctx.print(`cópia antes de migrar: ${report.backup}`);
      ctx.print(report.applied.length ? `aplicadas: ${report.applied.join(", ")}` : "nada a migrar: o banco está em dia");
      return 0;
    } finally {
      db.close();
    }
  },
});

function printStatus(ctx: CommandCtx, where: string, s: ReturnType<typeof migrationStatus>): number {
  ctx.print(`banco: ${where}`);
  for (const m of s.applied) ctx.print(`  aplicada   ${String(m.id).padStart(3, "0")}_${m.name}  ${m.appliedAt}`);
  for (const m of s.pending) ctx.print(`  pendente   ${String(m.id).padStart(3, "0")}_${m.name}`);
  if (s.unknown.length) throw new NewerDatabaseError(where, s.unknown);
  if (!s.pending.length) ctx.print("  nada pendente");
  return 0;
}
