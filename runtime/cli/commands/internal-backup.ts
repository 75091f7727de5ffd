// `sgp internal-backup <job>`: the scheduled backup's child process (lib/ops/schedule.ts). It loads no settings:
// the server hands it everything as JSON, and it answers with one JSON line on stdout.
import { backupDatabase, nextBackupFile, pruneBackups } from "../../../lib/ops/backup.ts";
import type { BackupJob } from "../../../lib/ops/schedule.ts";
import { defineCommand } from "../command.ts";

export default defineCommand({
  name: "internal-backup",
  summary: "uso interno: o backup agendado, num processo à parte",
  usage: "internal-backup <job-json>",
  hidden: true,
  positionals: { min: 1, max: 1 },
  run(ctx) {
    try {
      const job = JSON.parse(ctx.positionals[0]) as BackupJob;
      const r = backupDatabase({ source: job.source, out: nextBackupFile(job.dir), secretFile: job.secretFile });
      const pruned = pruneBackups(job.dir, job.keep);
      ctx.print(JSON.stringify({ ok: true, result: { ...r, pruned } }));
      return 0;
    } catch (err) {
      ctx.print(JSON.stringify({ ok: false, error: (err as Error).message }));
      return 1;
    }
  },
});
