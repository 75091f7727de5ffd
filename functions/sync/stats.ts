// GET /sync/stats: the original's queue totals, plus per sink: cursor, pending, retrying, dead letters, oldest
// pending age, last error.
import { defineFunction } from "../../lib/function.ts";
import { syncStats } from "../../lib/sync/index.ts";
import { SyncStats } from "../../lib/sync/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/sync/stats",
  guard: "admin",
  summary: "Números da sincronização por destino (cursor, pendentes, em nova tentativa, dead letters, erros)",
  tags: ["sync"],
  response: SyncStats,
  run: (ctx) => ctx.db.read((q) => syncStats(q, ctx.config.sync)),
});
