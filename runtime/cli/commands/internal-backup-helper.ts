// `sgp internal-backup-helper`: the server's backup helper process (lib/ops/schedule.ts). It loads no settings:
// the server sends each job over IPC and gets the result back the same way. It ends when the server does.
import { backupDatabase, nextBackupFile, pruneBackups } from "../../../lib/ops/backup.ts";
import type { BackupJob } from "../../../lib/ops/schedule.ts";
import { CliError, defineCommand } from "../command.ts";

export default defineCommand({
  name: "internal-backup-helper",
  summary: "uso interno: o processo que faz os backups agendados do servidor",
  usage: "internal-backup-helper",
  hidden: true,
  run() {
    if (!process.send) throw new CliError("internal-backup-helper: só o servidor o inicia", 2);
    // A console's Ctrl+C reaches every process of the group (a Windows service stop): the server decides when this
    // one stops, and a copy in progress is not cut short by it.
    for (const sig of ["SIGINT", "SIGBREAK"] as const) process.on(sig, () => {});
    process.once("disconnect", () => process.exit(0));
    process.on("message", (m: { id: number; job: BackupJob }) => {
      try {
        const r = backupDatabase({ source: m.job.source, out: nextBackupFile(m.job.dir), secretFile: m.job.secretFile });
        process.send!({ id: m.id, ok: true, result: { ...r, pruned: pruneBackups(m.job.dir, m.job.keep) } });
      } catch (err) {
        process.send!({ id: m.id, ok: false, error: (err as Error).message });
      }
    });
    return "running";
  },
});
