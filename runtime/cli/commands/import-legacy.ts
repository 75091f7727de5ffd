// `sgp import-legacy FILE [--media DIR]`: the original system's database (and images) into this install.
import { localDatabaseOnly } from "./_database.ts";
import { resolve } from "node:path";
import { importLegacy } from "../../../lib/ops/legacy.ts";
import { CliError, defineCommand } from "../command.ts";
import { progressOn } from "../io.ts";

export default defineCommand({
  name: "import-legacy",
  summary: "importa o banco do sistema antigo",
  usage: "import-legacy <banco.db>",
  description:
    "O arquivo antigo não é alterado: uma cópia consistente é migrada (pedidos, itens, usuários, catálogos,\n" +
    "valores em centavos, números repetidos renumerados), verificada e posta em DATA_DIR (ou DATABASE_URL),\n" +
    "que não pode ter pedidos ainda. Com --media, copia as imagens referenciadas da pasta de mídia antiga.",
  options: { media: { type: "string" } },
  optionHelp: { media: "a pasta de mídia do sistema antigo (MEDIA_ROOT dele)" },
  positionals: { min: 1, max: 1, names: "<banco.db>" },
  async run(ctx) {
    const config = ctx.config();
    localDatabaseOnly(config, "import-legacy");
    const source = resolve(process.cwd(), ctx.positionals[0]);
    const progress = progressOn(ctx.io);
    let s: Awaited<ReturnType<typeof importLegacy>>;
    try {
      s = await importLegacy({
        source,
        dbPath: config.databasePath,
        mediaRoot: config.mediaRoot,
        legacyMedia: ctx.values.media ? resolve(process.cwd(), ctx.values.media) : null,
        log: ctx.logger(),
        progress,
      });
    } catch (err) {
      throw new CliError(`sgp import-legacy: ${(err as Error).message}`, 1);
    } finally {
      progress.stop();
    }
    ctx.print(`importado: ${source} → ${config.databasePath} (${(s.ms / 1000).toFixed(1)} s)`);
    ctx.print(`  pedidos:   ${s.imported.orders} (de ${s.source.orders})`);
    ctx.print(`  itens:     ${s.imported.items}`);
    ctx.print(`  usuários:  ${s.imported.users} (de ${s.source.users})`);
    ctx.print(`  clientes:  ${s.imported.clientes} (de ${s.source.clientes})`);
    ctx.print(`  imagens:   ${s.imported.images} registro(s)`);
    ctx.print(`  impressões: ${s.imported.printLogs}`);
    if (s.media)
      ctx.print(
        `  arquivos de imagem: ${s.media.copied} copiado(s), ${s.media.present} já presente(s), ${s.media.missing} faltando na pasta antiga`,
      );
    const changes = Object.entries(s.changes);
    if (changes.length) {
      ctx.print("  mudanças registradas:");
      for (const [what, n] of changes) ctx.print(`    ${n}× ${what}`);
    }
    if (s.kept) ctx.print(`banco vazio anterior guardado em: ${s.kept}`);
    ctx.print("pronto: inicie o servidor (o administrador do sistema antigo entra com a senha de antes)");
    return 0;
  },
});
