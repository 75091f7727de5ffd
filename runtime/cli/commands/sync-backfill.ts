// `sgp sync backfill <http|mysql>`: sends the current state of every order and user to one sink (a sink configured
// on a database that already has data, or a mirror to rebuild). Safe while the server runs: the sink's own writes
// are idempotent upserts, and the live worker keeps delivering from its cursor meanwhile.
import { openMediaStore } from "../../../lib/media/store.ts";
import { backfillSink, isSinkName, SINK_NAMES } from "../../../lib/sync/index.ts";
import { CliError, defineCommand } from "../command.ts";
import { withDatabase } from "./_database.ts";

export default defineCommand({
  name: "sync backfill",
  summary: "envia o estado atual de todos os pedidos e usuários a um destino de sincronização",
  usage: `sync backfill <${SINK_NAMES.join("|")}>`,
  description:
    "Para um destino recém-configurado (SYNC_HTTP_URL ou SYNC_MYSQL_URL) num banco que já tem pedidos, ou para\n" +
    "refazer o espelho MySQL. Pode rodar com o servidor no ar.",
  positionals: { min: 1, max: 1, names: "destino" },
  async run(ctx) {
    const sink = ctx.positionals[0];
    if (!isSinkName(sink)) throw new CliError(`sgp sync backfill: destino desconhecido "${sink}" (use ${SINK_NAMES.join(" ou ")})`, 2);
    const config = ctx.config();
    return withDatabase(ctx, async (db) => {
      const media = openMediaStore(config.mediaRoot, { secret: config.secretKey });
      let last = "";
      try {
        const r = await backfillSink({ db, log: ctx.logger(), config, media }, sink, {
          onProgress: (p) => {
            const line = `${p.phase}: ${p.done}/${p.total}`;
            if (line !== last && (p.done === p.total || p.done % 500 === 0)) ctx.print((last = line));
          },
        });
        ctx.print(
          `${r.sink}: ${r.orders} pedidos, ${r.users} usuários enviados em ${(r.elapsedMs / 1000).toFixed(1)} s` +
            (r.removed.orders || r.removed.users
              ? ` (removidos do espelho: ${r.removed.orders} pedidos, ${r.removed.users} usuários)`
              : ""),
        );
        return 0;
      } catch (err) {
        throw new CliError(`sgp sync backfill: ${(err as { detail?: string }).detail ?? (err as Error).message}`, 1);
      }
    });
  },
});
