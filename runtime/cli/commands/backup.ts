// `sgp backup [--out FILE]`: an online, consistent copy of the database, with the secret key file beside it.
import { resolve } from "node:path";
import { localDatabaseOnly } from "./_database.ts";
import { openDatabase } from "../../../lib/db/connection.ts";
import { backupDatabase, nextBackupFile, pruneBackups, recordBackupRun, type BackupRun } from "../../../lib/ops/backup.ts";
import { isSqliteFile } from "../../../lib/ops/sqlite.ts";
import { nowIso } from "../../../lib/time.ts";
import { CliError, defineCommand } from "../command.ts";

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

export default defineCommand({
  name: "backup",
  summary: "backup online do banco (com o servidor rodando)",
  usage: "backup [--out ARQUIVO]",
  description:
    "Cópia consistente (VACUUM INTO) enquanto o servidor lê e grava; verificada antes de ser dada como pronta.\n" +
    "A chave secreta gerada (DATA_DIR/secret.key) vai ao lado: <arquivo>.secret.key. Em BACKUP_DIR, mantém os\n" +
    "BACKUP_KEEP mais novos. A pasta de mídia (imagens) não entra: copie-a à parte (veja README).",
  options: { out: { type: "string", short: "o" } },
  optionHelp: { out: "arquivo de destino (padrão: BACKUP_DIR/sgp-<data>-<hora>.db)" },
  async run(ctx) {
    const config = ctx.config();
    localDatabaseOnly(config, "backup");
    const out = ctx.values.out ? resolve(process.cwd(), ctx.values.out) : nextBackupFile(config.backupDir);
    const startedAt = nowIso();
    let run: BackupRun;
    let error: Error | null = null;
    let pruned: string[] = [];
    try {
      const r = backupDatabase({ source: config.databasePath, out, secretFile: config.secretKeyFile });
      if (!ctx.values.out) pruned = pruneBackups(config.backupDir, config.backupKeep);
      run = { startedAt, finishedAt: nowIso(), ok: true, trigger: "cli", file: r.file, bytes: r.bytes, ms: r.ms, error: null };
      ctx.print(`backup: ${r.file} (${mib(r.bytes)}, ${r.ms} ms)`);
      if (r.secretFile) ctx.print(`chave:  ${r.secretFile}`);
      for (const p of pruned) ctx.print(`removido (BACKUP_KEEP=${config.backupKeep}): ${p}`);
    } catch (err) {
      error = err as Error;
      run = { startedAt, finishedAt: nowIso(), ok: false, trigger: "cli", file: null, bytes: null, ms: null, error: error.message };
    }
    // The run goes into the live database's history (what /health reports), when it has one.
    if (isSqliteFile(config.databasePath))
      try {
        const db = openDatabase(config.databasePath);
        try {
          db.writeSync((tx) => recordBackupRun(tx, run));
        } finally {
          db.close();
        }
      } catch {
        // a missing or unwritable database: the copy (or its failure) is reported here anyway
      }
    if (error) throw new CliError(`sgp backup: ${error.message}`, 1);
    return 0;
  },
});
