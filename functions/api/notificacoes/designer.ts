// GET /api/notificacoes/designer: the caller's "art ready" notifications (the Dashboard bell), newest first.
import * as v from "valibot";
import { defineFunction } from "../../../lib/function.ts";
import { listNotifications } from "../../../lib/events/notifications.ts";
import { Notification } from "../../../lib/events/wire-schemas.ts";

const Query = v.object({
  include_read: v.optional(
    v.pipe(
      v.picklist(["true", "false", "1", "0"]),
      v.transform((s) => s === "true" || s === "1"),
    ),
    "false",
  ),
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d+$/), v.transform(Number), v.minValue(1), v.maxValue(500)), "50"),
});

export default defineFunction({
  method: "GET",
  path: "/api/notificacoes/designer",
  guard: "user",
  summary: "Notificações de arte pronta do usuário",
  tags: ["notificacoes"],
  response: v.array(Notification),
  query: Query,
  run: (ctx, { query }) => ctx.db.read((q) => listNotifications(q, ctx.user.id, { includeRead: query.include_read, limit: query.limit })),
});
