import { randomUUID } from "node:crypto";
import type { Sql, Tx } from "../db/connection.ts";
import { nowIso } from "../time.ts";

/** A designer notification as the client reads it (`GET /api/notificacoes/designer`). */
export interface NotificationWire {
  id: number;
  notification_id: string;
  user_id: number;
  order_id: number | null;
  art_id: number | null;
  tipo: string;
  titulo: string;
  mensagem: string;
  visualizada: boolean;
  created_at: string;
  read_at: string | null;
}

export interface ArtReady {
  /** The user to notify (the client drops a `designer_art_ready` whose `user_id` is not its own). */
  recipientId: number;
  orderId: number;
  /** The item whose art is ready (stable item id), if any. */
  artId: number | null;
  title?: string;
  message?: string;
}

/**
 * Records a "art ready" notification and emits its `designer_art_ready` event, inside the caller's transaction:
 * both commit together or not at all. The event is delivered only to the recipient's sockets.
 * Call it from the designer panel when an item's `status_arte` becomes `liberado`.
 * @example ctx.db.write((tx) => { patchItem(tx, itemId, { status_arte: "liberado" }, actor);
 *   notifyArtReady(tx, { recipientId: order.criado_por, orderId, artId: itemId }, actor); })
 */
export function notifyArtReady(tx: Tx, n: ArtReady, actor: { id: number; username: string } | null): NotificationWire {
  const notificationId = randomUUID();
  const createdAt = nowIso();
  const titulo = n.title ?? "Arte liberada";
  const mensagem = n.message ?? `A arte do pedido ${n.orderId} está pronta.`;
  const r = tx.run(
    `INSERT INTO notificacoes (notification_id, user_id, order_id, art_id, tipo, titulo, mensagem, created_at)
     VALUES (?, ?, ?, ?, 'designer_art_ready', ?, ?, ?)`,
    notificationId, n.recipientId, n.orderId, n.artId, titulo, mensagem, createdAt,
  );
  const event = tx.emit({
    type: "designer_art_ready",
    orderId: n.orderId,
    payload: {
      type: "designer_art_ready", notification_id: notificationId, user_id: n.recipientId, order_id: n.orderId,
      art_id: n.artId, title: titulo, message: mensagem, created_at: createdAt,
    },
    actor,
  });
  tx.run("UPDATE notificacoes SET event_id = ? WHERE id = ?", event.id, r.lastInsertRowid);
  return {
    id: r.lastInsertRowid, notification_id: notificationId, user_id: n.recipientId, order_id: n.orderId, art_id: n.artId,
    tipo: "designer_art_ready", titulo, mensagem, visualizada: false, created_at: createdAt, read_at: null,
  };
}

type Row = {
  id: number; notification_id: string; user_id: number; order_id: number | null; art_id: number | null;
  tipo: string; titulo: string; mensagem: string; created_at: string; read_at: string | null;
};

const toWire = (r: Row): NotificationWire => ({
  id: r.id, notification_id: r.notification_id, user_id: r.user_id, order_id: r.order_id, art_id: r.art_id,
  tipo: r.tipo, titulo: r.titulo, mensagem: r.mensagem, visualizada: r.read_at !== null, created_at: r.created_at, read_at: r.read_at,
});

/** A user's notifications, newest first; unread only unless `includeRead`. */
export function listNotifications(q: Sql, userId: number, opts: { includeRead: boolean; limit: number }): NotificationWire[] {
  const rows = q.all<Row>(
    `SELECT id, notification_id, user_id, order_id, art_id, tipo, titulo, mensagem, created_at, read_at
     FROM notificacoes WHERE user_id = ? ${opts.includeRead ? "" : "AND read_at IS NULL"} ORDER BY id DESC LIMIT ?`,
    userId, opts.limit,
  );
  return rows.map(toWire);
}

/** Marks one of the user's notifications read (idempotent). False when the user has no such notification. */
export function markNotificationRead(tx: Sql, userId: number, notificationId: string): boolean {
  const row = tx.get<{ id: number }>("SELECT id FROM notificacoes WHERE notification_id = ? AND user_id = ?", notificationId, userId);
  if (!row) return false;
  tx.run("UPDATE notificacoes SET read_at = ? WHERE id = ? AND read_at IS NULL", nowIso(), row.id);
  return true;
}

/** Marks every unread notification of the user read; returns how many changed. */
export function markAllNotificationsRead(tx: Sql, userId: number): number {
  return tx.run("UPDATE notificacoes SET read_at = ? WHERE user_id = ? AND read_at IS NULL", nowIso(), userId).changes;
}
