// `sgp restore FILE`: puts a backup back in place of the database (the server must be stopped).
import { resolve } from "node:path";
import { localDatabaseOnly } from "./_database.ts";
import { restoreDatabase } from "../../../lib/ops/restore.ts";
import { CliError, defineCommand } from "../command.ts";

export default defineCommand({
  name: "restore",
  summary: "restaura um backup (com o servidor parado)",
  usage: "restore <arquivo>",
  description:
    "Verifica o backup (integrity_check, versão), recusa se um servidor estiver usando o banco, guarda o banco\n" +
    "atual ao lado (<banco>.replaced-<data>) e põe o backup no lugar. Se a chave secreta vem do arquivo gerado e o\n" +
    "backup tem <arquivo>.secret.key, ela é restaurada também. Depois inicie o servidor: migrações pendentes rodam.",
  positionals: { min: 1, max: 1, names: "<arquivo>" },
  async run(ctx) {
    const config = ctx.config();
    localDatabaseOnly(config, "restore");
    const file = resolve(process.cwd(), ctx.positionals[0]);
    let report: Awaited<ReturnType<typeof restoreDatabase>>;
    try {
      report = await restoreDatabase({ file, dbPath: config.databasePath, secretKeyFile: config.secretKeyFile });
    } catch (err) {
      throw new CliError(`sgp restore: ${(err as Error).message}`, 1);
    }
    ctx.print(`restaurado: ${file} → ${config.databasePath}`);
    ctx.print(`  ${report.restored.orders} pedido(s), ${report.restored.users} usuário(s), último evento ${report.restored.lastEventId}`);
    ctx.print(report.kept ? `banco anterior guardado em: ${report.kept}` : "não havia banco anterior");
    if (report.secret) ctx.print(`chave secreta restaurada${report.secret.kept ? ` (a anterior guardada em ${report.secret.kept})` : ""}`);
    if (report.secretIgnored)
      ctx.print("aviso: o backup tem uma chave secreta, mas SECRET_KEY está definido: a chave do backup não foi usada");
    return 0;
  },
});
