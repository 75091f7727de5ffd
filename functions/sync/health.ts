// GET /sync/health: `ok`, or `degraded` with reasons (`dead_letter`, `oldest_pending_age` > 300 s), and the stats.
import { defineFunction } from "../../lib/function.ts";
import { syncHealth, syncStats } from "../../lib/sync/index.ts";
import { SyncHealth } from "../../lib/sync/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/sync/health",
  guard: "admin",
  summary: "Saúde da sincronização com sistemas externos (ok | degraded, com os motivos)",
  tags: ["sync"],
  response: SyncHealth,
  run: (ctx) => ctx.db.read((q) => syncHealth(syncStats(q, ctx.config.sync))),
});
