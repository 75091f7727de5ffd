// `sgp migrate [--status]`: applies pending migrations (what a server start does), or only lists them.
import { openDatabase } from "../../../lib/db/connection.ts";
import { migrate, migrationStatus, NewerDatabaseError } from "../../../lib/db/migrate.ts";
import { analyzeDatabase } from "../../../lib/ops/maintenance.ts";
import { isSqliteFile, openRaw } from "../../../lib/ops/sqlite.ts";
import { installOrderHooks } from "../../../lib/orders/hooks.ts";
import { defineCommand } from "../command.ts";

export default defineCommand({
  name: "migrate",
  summary: "aplica as migrações pendentes (--status: lista)",
  usage: "migrate [--status]",
  description: "Um servidor aplica as migrações sozinho ao iniciar; este comando as aplica (ou lista) sem iniciá-lo.\nAntes de migrar um banco com dados, uma cópia é gravada ao lado (<banco>.backup-<data>).",
  options: { status: { type: "boolean" } },
  optionHelp: { status: "mostra aplicadas e pendentes, sem mudar nada (sai com 1 só se o banco for de uma versão mais nova)" },
  run(ctx) {
    const config = ctx.config();
    if (ctx.values.status) {
      if (!isSqliteFile(config.databasePath)) {
        ctx.print(`${config.databasePath}: não existe (será criado no primeiro início)`);
        return 1;
      }
      const db = openRaw(config.databasePath, { readonly: true });
      try {
        const s = migrationStatus(db.q);
        ctx.print(`banco: ${config.databasePath}`);
        for (const m of s.applied) ctx.print(`  aplicada   ${String(m.id).padStart(3, "0")}_${m.name}  ${m.appliedAt}`);
        for (const m of s.pending) ctx.print(`  pendente   ${String(m.id).padStart(3, "0")}_${m.name}`);
        if (s.unknown.length) throw new NewerDatabaseError(config.databasePath, s.unknown);
        if (!s.pending.length) ctx.print("  nada pendente");
        return 0;
      } finally {
        db.close();
      }
    }
    const db = openDatabase(config.databasePath);
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
