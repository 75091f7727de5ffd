// GET /api/notificacoes/ultimos: the polling fallback. Read from the database (never a process variable), so it is
// right after a restart and across processes. `event_id` is the cursor to reconnect the socket with `?since=`.
import { defineFunction } from "../../../lib/function.ts";
import { lastCreatedOrderId, lastEventId } from "../../../lib/events/log.ts";
import { nowIso } from "../../../lib/time.ts";
import { Ultimos } from "../../../lib/events/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/api/notificacoes/ultimos",
  guard: "user",
  summary: "Último pedido criado e último evento",
  tags: ["notificacoes"],
  response: Ultimos,
  async run(ctx) {
    const { ultimo, event } = await ctx.db.read((q) => ({ ultimo: lastCreatedOrderId(q), event: lastEventId(q) }));
    return { ultimo_id: ultimo, timestamp: nowIso(), event_id: event };
  },
});
