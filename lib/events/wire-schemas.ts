import * as v from "valibot";
import { Count, Id, named, Timestamp } from "../wire-schemas.ts";

/** Wire shapes of `/api/notificacoes` (the designer bell and the polling fallback of the socket). */

/** A designer notification (`lib/events/notifications.ts` `NotificationWire`). */
export const Notification = named(
  "Notification",
  v.object({
    id: Id,
    notification_id: v.pipe(v.string(), v.description("Identificador estável (UUID), o das rotas `/{notification_id}/read`")),
    user_id: Id,
    order_id: v.nullable(Id),
    art_id: v.pipe(v.nullable(Id), v.description("O item (id estável) cuja arte mudou")),
    tipo: v.pipe(v.string(), v.description("`designer_art_ready` (arte liberada) ou `designer_art_assigned` (arte atribuída)")),
    titulo: v.string(),
    mensagem: v.string(),
    visualizada: v.boolean(),
    created_at: Timestamp,
    read_at: v.nullable(Timestamp),
  }),
);

/** `GET /api/notificacoes/ultimos`: the newest order id (0 when none) and the event cursor for `?since=`. */
export const Ultimos = named(
  "NotificacoesUltimos",
  v.object({
    ultimo_id: v.pipe(Count, v.description("Id do último pedido criado (0 se nenhum)")),
    timestamp: Timestamp,
    event_id: v.pipe(Count, v.description("Último evento confirmado: o `since` para reconectar o WebSocket")),
  }),
);

/** `PATCH /api/notificacoes/read-all`. */
export const ReadAll = v.object({ success: v.literal(true), atualizadas: Count });

/** `PATCH /api/notificacoes/{notification_id}/read`. */
export const ReadOne = v.object({ success: v.literal(true), notification_id: v.string() });
