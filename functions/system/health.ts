// GET /health: the client's reachability probe (any status < 500 is "up"), so a broken database must be 503.
import { defineFunction } from "../../lib/function.ts";
import { checkDatabase } from "../../lib/db/health.ts";

export default defineFunction({
  method: "GET",
  path: "/health",
  guard: "public",
  summary: "Saúde do servidor e do banco",
  tags: ["sistema"],
  async run(ctx) {
    const db = await checkDatabase(ctx.db);
    const body = {
      status: db.ok ? "ok" : "degraded",
      version: ctx.config.version,
      timestamp: new Date().toISOString(),
      checks: { api: "ok", database: db.ok ? "ok" : "error" },
      ...(db.ok ? {} : { database_error: db.error }),
      realtime: { peers: ctx.stats.peers() },
    };
    return db.ok ? body : Response.json(body, { status: 503 });
  },
});
