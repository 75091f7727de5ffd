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

/** The two kinds of designer notification (`tipo` of the row and the event-log type). */
export type DesignerNotificationKind = "designer_art_ready" | "designer_art_assigned";

export interface ArtReady {
  /** The user to notify (the client drops a `designer_art_ready` whose `user_id` is not its own). */
  recipientId: number;
  orderId: number;
  /** The item whose art is ready (stable item id), if any. */
  artId: number | null;
  title?: string;
  message?: string;
}

/** Assignment notifications of one order to one user within this window are sent once (the client's 1.4.4 rule). */
export const NOTIFICATION_DEDUPE_MS = 60_000;

/**
 * Records a designer notification and emits its event, inside the caller's transaction: both commit together or
 * not at all. The event is delivered only to the recipient's sockets.
 * - `designer_art_ready`: an item's art was released; the order's creator is told (designer panel).
 * - `designer_art_assigned`: an order was created or changed with arts assigned to a designer (`lib/orders/hooks.ts`).
 * note: the 1.4.4 client listens to one message type for both (`designer_art_ready`, its bell and native
 * notification); the wire message carries `tipo` with the kind, the event log keeps the kind as its type.
 * Returns null, writing nothing, for an assignment when the same user was told about the same order in the last
 * NOTIFICATION_DEDUPE_MS (each release is its own news, so releases are never folded).
 */
export function notifyDesigner(
  tx: Tx,
  kind: DesignerNotificationKind,
  n: ArtReady,
  actor: { id: number; username: string } | null,
  nowMs = Date.now(),
): NotificationWire | null {
  const since = new Date(nowMs - NOTIFICATION_DEDUPE_MS).toISOString();
  if (
    kind === "designer_art_assigned" &&
    tx.get(
      "SELECT 1 AS x FROM notificacoes WHERE user_id = ? AND order_id IS ? AND tipo = ? AND created_at > ? LIMIT 1",
      n.recipientId,
      n.orderId,
      kind,
      since,
    )
  ) {
    return null;
  }
  const notificationId = randomUUID();
  const createdAt = new Date(nowMs).toISOString();
  const titulo = n.title ?? (kind === "designer_art_ready" ? "Arte liberada" : "Nova arte atribuída");
  const mensagem =
    n.message ?? (kind === "designer_art_ready" ? `A arte do pedido ${n.orderId} está pronta.` : `Você tem arte no pedido ${n.orderId}.`);
  const r = tx.run(
    `INSERT INTO notificacoes (notification_id, user_id, order_id, art_id, tipo, titulo, mensagem, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    notificationId,
    n.recipientId,
    n.orderId,
    n.artId,
    kind,
    titulo,
    mensagem,
    createdAt,
  );
  const event = tx.emit({
    type: kind,
    orderId: n.orderId,
    payload: {
      type: "designer_art_ready",
      tipo: kind,
      notification_id: notificationId,
      user_id: n.recipientId,
      order_id: n.orderId,
      art_id: n.artId,
      title: titulo,
      message: mensagem,
      created_at: createdAt,
    },
    actor,
  });
  tx.run("UPDATE notificacoes SET event_id = ? WHERE id = ?", event.id, r.lastInsertRowid);
  return {
    id: r.lastInsertRowid,
    notification_id: notificationId,
    user_id: n.recipientId,
    order_id: n.orderId,
    art_id: n.artId,
    tipo: kind,
    titulo,
    mensagem,
    visualizada: false,
    created_at: createdAt,
    read_at: null,
  };
}

/** `notifyDesigner(tx, "designer_art_ready", …)`: the art of an item was released. */
export const notifyArtReady = (tx: Tx, n: ArtReady, actor: { id: number; username: string } | null): NotificationWire =>
  notifyDesigner(tx, "designer_art_ready", n, actor)!;

type Row = {
  id: number;
  notification_id: string;
  user_id: number;
  order_id: number | null;
  art_id: number | null;
  tipo: string;
  titulo: string;
  mensagem: string;
  created_at: string;
  read_at: string | null;
};

const toWire = (r: Row): NotificationWire => ({
  id: r.id,
  notification_id: r.notification_id,
  user_id: r.user_id,
  order_id: r.order_id,
  art_id: r.art_id,
  tipo: r.tipo,
  titulo: r.titulo,
  mensagem: r.mensagem,
  visualizada: r.read_at !== null,
  created_at: r.created_at,
  read_at: r.read_at,
});

/** A user's notifications, newest first; unread only unless `includeRead`. */
export function listNotifications(q: Sql, userId: number, opts: { includeRead: boolean; limit: number }): NotificationWire[] {
  const rows = q.all<Row>(
    `SELECT id, notification_id, user_id, order_id, art_id, tipo, titulo, mensagem, created_at, read_at
     FROM notificacoes WHERE user_id = ? ${opts.includeRead ? "" : "AND read_at IS NULL"} ORDER BY id DESC LIMIT ?`,
    userId,
    opts.limit,
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
