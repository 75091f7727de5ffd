import type { CommittedEvent, Tx } from "../db/connection.ts";
import { notifyDesigner } from "../events/notifications.ts";
import { foldText } from "../text.ts";
import { asOrder, orderOfEvent } from "./events.ts";
import type { PedidoResponse, WireItem } from "./wire.ts";

/**
 * Designer notifications of assigned arts (the client's 1.4.4 intent): when an order is created, or changed so that
 * a designer has a new item or one of their items changed, that designer is notified — the item's `designer` name
 * mapped to the active user with that name (case, accents and spaces ignored; on a tie, the one in setor
 * `designer`). Not for drafts, cancelled or delivered orders, nor for the designer's own changes; at most one per
 * order and designer a minute (`notifyDesigner`'s dedupe). Runs as an in-transaction hook of the order events.
 */

/** The fields of an item that the designer panel writes: a change there is the designer's own, not news for them. */
const PANEL_FIELDS = new Set(["status_arte", "comentarios", "legenda_imagem"]);

const contentOf = (item: WireItem): string => JSON.stringify(Object.entries(item).filter(([k]) => !PANEL_FIELDS.has(k)));

const open = (o: PedidoResponse | null): o is PedidoResponse => !!o && !o.rascunho && o.status !== "cancelado" && o.status !== "entregue";

/** The items of `after` that are new or changed for their designer, grouped by folded designer name. */
function newsByDesigner(before: PedidoResponse | null, after: PedidoResponse): Map<string, { name: string; items: WireItem[] }> {
  const previous = new Map<number, WireItem>();
  if (open(before)) for (const item of before.items) previous.set(item.id, item);
  const out = new Map<string, { name: string; items: WireItem[] }>();
  for (const item of after.items) {
    const name = typeof item.designer === "string" ? item.designer.trim() : "";
    const key = foldText(name);
    if (!key) continue;
    const was = previous.get(item.id);
    if (was && foldText(was.designer) === key && contentOf(was) === contentOf(item)) continue;
    let group = out.get(key);
    if (!group) out.set(key, (group = { name, items: [] }));
    group.items.push(item);
  }
  return out;
}

/** The active user a designer name stands for, or null. */
function userOfDesigner(tx: Tx, key: string): { id: number; username: string } | null {
  const users = tx.all<{ id: number; username: string; setor: string | null }>(
    `SELECT id, username, setor FROM "user" WHERE is_active = 1`,
  );
  const matches = users.filter((u) => foldText(u.username) === key);
  if (matches.length === 0) return null;
  return matches.find((u) => foldText(u.setor) === "designer") ?? matches[0];
}

export function notifyAssignedDesigners(tx: Tx, event: CommittedEvent, before: unknown): void {
  if (event.type !== "order_created" && event.type !== "order_updated") return;
  const after = orderOfEvent(event);
  if (!open(after)) return;
  for (const [key, group] of newsByDesigner(asOrder(before), after)) {
    const user = userOfDesigner(tx, key);
    if (!user || user.id === event.actorId) continue;
    const what = group.items
      .map((i) => String(i.descricao ?? i.tipo_producao ?? "").trim())
      .filter(Boolean)
      .slice(0, 3)
      .join(", ");
    const count = group.items.length;
    notifyDesigner(
      tx,
      "designer_art_assigned",
      {
        recipientId: user.id,
        orderId: after.id,
        artId: group.items[0].id,
        title: "Nova arte atribuída",
        message: `Pedido ${after.numero ?? after.id} (${after.cliente}): ${count} ${count === 1 ? "arte" : "artes"} para você${what ? ` — ${what}` : ""}.`,
      },
      event.actorId === null ? null : { id: event.actorId, username: event.actorName ?? "" },
    );
  }
}
