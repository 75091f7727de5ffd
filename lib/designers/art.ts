import { randomUUID } from "node:crypto";
import type { Sql, Tx } from "../db/connection.ts";
import { notFound } from "../errors.ts";
import { notifyArtReady } from "../events/notifications.ts";
import { findItem } from "../orders/items.ts";
import { patchItem } from "../orders/write.ts";
import type { Actor } from "../orders/events.ts";
import { nowIso } from "../time.ts";
import type { SignImage } from "../catalogs/order-items.ts";
import { artStatusOf, commentsOf, legacyReleased, panelItemById, type ArtStatus, type PanelItem } from "./panel.ts";

/**
 * The designer panel's writes. Items are addressed by their stable id (or the original's fallback id) and
 * changed through the orders repository's `patchItem`, so each change bumps the order and emits `order_updated`
 * in the same transaction (the original's panel writes were silent: spec §8.21).
 */

/**
 * `PATCH /designers/itens/{id}/status-arte`. An unchanged status writes nothing and emits nothing.
 * When the art becomes `liberado`, the order's creator gets a `designer_art_ready` notification (unless they
 * released it themselves).
 */
export function setArtStatus(tx: Tx, itemId: number, status: ArtStatus, actor: Actor, sign: SignImage): PanelItem {
  const found = findItem(tx, itemId);
  if (!found) throw notFound(`Item ${itemId} não encontrado em nenhum pedido ativo.`);
  if (artStatusOf(found.data) !== status) {
    // A legacy LIBERADO flag would keep the art released: a hold-back rewrites it, as the original's panel did.
    const legacy = status === "aguardando" && legacyReleased(found.data) ? { legenda_imagem: "AGUARDANDO" } : {};
    patchItem(tx, found.itemId, { status_arte: status, ...legacy }, actor);
    if (status === "liberado") notifyCreator(tx, found.orderId, found.itemId, found.data, actor);
  }
  return panelItemById(tx, found.itemId, sign)!;
}

/** `POST /designers/itens/{id}/comentarios`: appends a comment signed with the caller's username. */
export function addComment(tx: Tx, itemId: number, texto: string, actor: Actor, sign: SignImage): PanelItem {
  const found = findItem(tx, itemId);
  if (!found) throw notFound(`Item ${itemId} não encontrado.`);
  const comment = { id: randomUUID(), autor: actor.username, texto, data: nowIso() };
  patchItem(tx, found.itemId, { comentarios: [...commentsOf(found.data), comment] }, actor);
  return panelItemById(tx, found.itemId, sign)!;
}

function notifyCreator(tx: Tx, orderId: number, itemId: number, item: Record<string, unknown>, actor: Actor): void {
  const order = orderHeader(tx, orderId);
  if (!order?.criado_por || order.criado_por === actor.id) return;
  const what = String(item.descricao ?? item.tipo_producao ?? "").trim();
  notifyArtReady(
    tx,
    {
      recipientId: order.criado_por,
      orderId,
      artId: itemId,
      title: "Arte liberada",
      message: `${actor.username} liberou a arte${what ? ` de "${what}"` : ""} do pedido ${order.numero ?? orderId} (${order.cliente}).`,
    },
    { id: actor.id, username: actor.username },
  );
}

const orderHeader = (q: Sql, orderId: number) =>
  q.get<{ numero: string | null; cliente: string; criado_por: number | null }>(
    "SELECT numero, cliente, criado_por FROM pedidos WHERE id = ?",
    orderId,
  );
