// `sgp check [FILE]`: integrity, foreign keys, migrations, and media files against their rows. Read-only.
import { resolve } from "node:path";
import { localDatabaseOnly } from "./_database.ts";
import { checkDatabase } from "../../../lib/ops/check.ts";
import { defineCommand } from "../command.ts";

export default defineCommand({
  name: "check",
  summary: "verifica o banco (ou um backup) e a mídia",
  usage: "check [arquivo]",
  description:
    "integrity_check, foreign_key_check, migrações e, para o banco em uso, arquivos de imagem × registros\n" +
    "(faltando = problema; sem registro = aviso). Só lê: pode rodar com o servidor ligado.",
  options: { media: { type: "boolean" }, "no-media": { type: "boolean" } },
  optionHelp: { media: "confere a mídia também para um arquivo dado", "no-media": "não confere a mídia" },
  positionals: { min: 0, max: 1, names: "[arquivo]" },
  async run(ctx) {
    const config = ctx.config();
    if (!ctx.positionals[0]) localDatabaseOnly(config, "check");
    const file = ctx.positionals[0] ? resolve(process.cwd(), ctx.positionals[0]) : config.databasePath;
    const withMedia = ctx.values["no-media"] ? false : ctx.positionals[0] ? ctx.values.media === true : true;
    const report = await checkDatabase({ dbPath: file, mediaRoot: withMedia ? config.mediaRoot : null });
    ctx.print(`SGP check: ${file}`);
    if (report.summary)
      ctx.print(`  ${report.summary.orders} pedido(s), ${report.summary.users} usuário(s), último evento ${report.summary.lastEventId}`);
    for (const s of report.sections) {
      ctx.print(`[${s.ok ? "ok" : "PROBLEMA"}] ${s.name}`);
      for (const l of s.lines) ctx.print(`    ${l}`);
    }
    ctx.print(report.ok ? "resultado: ok" : "resultado: PROBLEMAS encontrados");
    return report.ok ? 0 : 1;
  },
});
