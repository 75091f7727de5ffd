// PATCH /api/notificacoes/{notification_id}/read: marks one of the caller's notifications read (idempotent).
import * as v from "valibot";
import { defineFunction } from "../../../lib/function.ts";
import { markNotificationRead } from "../../../lib/events/notifications.ts";
import { notFound } from "../../../lib/errors.ts";
import { ReadOne } from "../../../lib/events/wire-schemas.ts";

export default defineFunction({
  method: "PATCH",
  path: "/api/notificacoes/:notification_id/read",
  guard: "user",
  summary: "Marcar uma notificação como lida",
  tags: ["notificacoes"],
  response: ReadOne,
  params: v.object({ notification_id: v.pipe(v.string(), v.regex(/^[0-9a-fA-F-]{1,64}$/)) }),
  async run(ctx, { params }) {
    const found = await ctx.db.write((tx) => markNotificationRead(tx, ctx.user.id, params.notification_id));
    if (!found) throw notFound("Notificação não encontrada");
    return { success: true, notification_id: params.notification_id };
  },
});
