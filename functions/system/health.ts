// GET /health: the client's reachability probe (any status < 500 is "up"), so a broken database must be 503.
// Also what the IT person's monitoring reads: can the database and the media folder be written, how the backups go.
import { defineFunction } from "../../lib/function.ts";
import { checkDatabase } from "../../lib/db/health.ts";
import { backupReport } from "../../lib/ops/health.ts";
import { HealthResponse } from "../../lib/ops/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/health",
  guard: "public",
  summary: "Saúde do servidor, do banco, da mídia e dos backups",
  tags: ["sistema"],
  response: HealthResponse,
  errors: [503],
  async run(ctx) {
    const db = await checkDatabase(ctx.db);
    const probe = await ctx.ops.probe.result();
    const backup = db.ok ? await backupReport(ctx.db, ctx.config, ctx.ops.startedAt) : null;
    const writable = db.ok && probe.database === null;
    const up = writable && probe.media === null;
    const body = {
      status: up && (backup?.state === "ok" || backup?.state === "pending" || backup?.state === "off") ? "ok" : "degraded",
      version: ctx.config.version,
      timestamp: new Date().toISOString(),
      uptime_seconds: Math.round((Date.now() - ctx.ops.startedAt) / 1000),
      checks: {
        api: "ok",
        database: db.ok ? "ok" : "error",
        database_write: writable ? "ok" : "error",
        media: probe.media === null ? "ok" : "error",
        backup: backup?.state ?? "unknown",
      },
      ...(db.ok ? {} : { database_error: db.error }),
      ...(db.ok && probe.database !== null ? { database_error: probe.database } : {}),
      ...(probe.media !== null ? { media_error: probe.media } : {}),
      realtime: { peers: ctx.stats.peers() },
      backup: backup?.body ?? null,
    };
    return up ? body : Response.json(body, { status: 503 });
  },
});
