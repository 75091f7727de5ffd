import type { Db } from "../db/connection.ts";
import type { Logger } from "../log.ts";
import type { MediaStore } from "../media/store.ts";
import { badRequest } from "../errors.ts";
import { localDate } from "../time.ts";
import { imageFilesOfOrder, writeWithItemImages } from "../media/item-images.ts";
import { removeMediaFiles } from "../media/files.ts";
import { imageSignerOf } from "../catalogs/order-items.ts";
import { addComment, setArtStatus } from "../designers/art.ts";
import type { ArtStatus, PanelItem } from "../designers/panel.ts";
import type { Actor } from "./events.ts";
import type { CreateOrderInput, DraftInput, UpdateOrderInput } from "./schemas.ts";
import type { OrderStatus } from "./status.ts";
import type { PedidoResponse } from "./wire.ts";
import * as write from "./write.ts";

/**
 * Every order write, whole: one call per write, so a caller cannot forget a step.
 *
 *   images staged (decoded, checked, on disk) → one synchronous transaction: rows + events + the in-transaction
 *   hooks of those events (stock, …: `hooks.ts`) → COMMIT → hub (commit listeners), files moved or deleted.
 *
 * An order write returns the order as committed: the very object its event carried, unsigned (the route answers
 * it with `writtenOrderBody`, which reuses the text it was serialized to at emit and signs the images on the way
 * out). A failure before COMMIT leaves no row and no file.
 */

/** What an order write needs from the process's services (`ctx` has all of it). */
export interface OrderDeps {
  db: Db;
  media: MediaStore;
  /** `timeZone`: the shop's, for a new order's default entry date (its local "today"). */
  config: { maxImageBytes: number; timeZone: string };
  log?: Logger;
}

/** `POST /pedidos/`: a new order, numbered, priced, with its images. */
export async function createOrder(deps: OrderDeps, body: CreateOrderInput, actor: Actor): Promise<PedidoResponse> {
  const order = await writeWithItemImages(deps, body.items ?? [], null, (items, afterItems) =>
    deps.db.write((tx) => write.createOrder(tx, { ...body, items }, actor, { afterItems, today: localDate(deps.config.timeZone) })),
  );
  return order;
}

/** `POST /pedidos/rascunho`: a draft (no `numero` until promoted); the web client puts data-URL images in drafts too. */
export async function createDraft(deps: OrderDeps, body: DraftInput, actor: Actor): Promise<PedidoResponse> {
  const order = await writeWithItemImages(deps, body.items ?? [], null, (items, afterItems) =>
    deps.db.write((tx) =>
      write.createOrder(tx, { ...body, items }, actor, { draft: true, afterItems, today: localDate(deps.config.timeZone) }),
    ),
  );
  return order;
}

/** `PATCH /pedidos/{id}`: the fields sent; `items`, when sent, replaces the list and its images. */
export async function updateOrder(deps: OrderDeps, id: number, body: UpdateOrderInput, actor: Actor): Promise<PedidoResponse> {
  const order = await writeWithItemImages(deps, body.items, id, (items, afterItems) =>
    deps.db.write((tx) => write.updateOrder(tx, id, items ? { ...body, items } : body, actor, { afterItems })),
  );
  return order;
}

/** `POST /pedidos/{id}/promover`. */
export async function promoteDraft(deps: OrderDeps, id: number, actor: Actor): Promise<PedidoResponse> {
  return deps.db.write((tx) => write.promoteDraft(tx, id, actor));
}

/** `POST /pedidos/batch-status`. */
export function setOrdersStatus(
  deps: OrderDeps,
  ids: readonly number[],
  status: OrderStatus,
  actor: Actor,
): Promise<{ count: number; status: OrderStatus }> {
  return deps.db.write((tx) => write.batchStatus(tx, ids, status, actor));
}

/** `DELETE /pedidos/{id}`: the order, its items, images, print logs and replacements; the files after COMMIT. */
export async function deleteOrder(deps: OrderDeps, id: number, actor: Actor): Promise<{ message: string }> {
  const files = await deps.db.write((tx) => {
    const paths = imageFilesOfOrder(tx, id); // the image rows go by cascade
    write.deleteOrder(tx, id, actor);
    return paths;
  });
  await removeMediaFiles(deps.media, files, deps.log);
  return { message: "Pedido deletado com sucesso" };
}

/**
 * `PATCH /pedidos/pedido-itens/{item_id}`: merges fields into one item. `pedido_id` in the body restricts the
 * lookup to that order. Images change through the order's create/PATCH (checked, stored, signed): the production
 * editor sends back the signed URL it was given, which must not be stored as text over the image reference.
 */
export async function patchOrderItem(deps: OrderDeps, itemId: number, body: Record<string, unknown>, actor: Actor) {
  const { pedido_id, imagem: _imagem, imagem_path: _imagemPath, ...changes } = body;
  let orderId: number | undefined;
  if (pedido_id !== undefined && pedido_id !== null) {
    orderId = typeof pedido_id === "string" && /^\d+$/.test(pedido_id) ? Number(pedido_id) : (pedido_id as number);
    if (!Number.isSafeInteger(orderId)) throw badRequest("pedido_id inválido.");
  }
  const { order, itemId: resolved } = await deps.db.write((tx) => write.patchItemOf(tx, itemId, changes, actor, orderId));
  return { status: "success", message: "Item atualizado", item: order.items.find((i) => i.id === resolved) };
}

/** `PATCH /designers/itens/{id}/status-arte`: an item's art released or held back (a release notifies the creator). */
export function setItemArtStatus(deps: OrderDeps, itemId: number, status: ArtStatus, actor: Actor): Promise<PanelItem> {
  return deps.db.write((tx) => setArtStatus(tx, itemId, status, actor, imageSignerOf(deps.media)));
}

/** `POST /designers/itens/{id}/comentarios`. */
export function addItemComment(deps: OrderDeps, itemId: number, texto: string, actor: Actor): Promise<PanelItem> {
  return deps.db.write((tx) => addComment(tx, itemId, texto, actor, imageSignerOf(deps.media)));
}
