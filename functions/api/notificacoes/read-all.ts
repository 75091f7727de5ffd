// PATCH /api/notificacoes/read-all: marks every notification of the caller read (the client ignores the body).
import { defineFunction } from "../../../lib/function.ts";
import { markAllNotificationsRead } from "../../../lib/events/notifications.ts";
import { ReadAll } from "../../../lib/events/wire-schemas.ts";

export default defineFunction({
  method: "PATCH",
  path: "/api/notificacoes/read-all",
  guard: "user",
  summary: "Marcar todas as notificações como lidas",
  tags: ["notificacoes"],
  response: ReadAll,
  async run(ctx) {
    const atualizadas = await ctx.db.write((tx) => markAllNotificationsRead(tx, ctx.user.id));
    return { success: true, atualizadas };
  },
});
