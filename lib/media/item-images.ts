import type { Db, Tx } from "../db/connection.ts";
import type { Logger } from "../log.ts";
import { badRequest, conflict, notFound } from "../errors.ts";
import type { MediaStore } from "./store.ts";
import { checkImage, type ImageMime } from "./check-image.ts";
import { decodeDataUrl } from "./data-url.ts";
import { imageUrlOf, parseImageRef } from "./refs.ts";
import { moveMediaFile, newImageName, readMediaFile, removeMediaFiles, STAGING_DIR, writeMediaFile } from "./files.ts";
import {
  currentItemImageValues,
  deleteImage,
  orderExists,
  findImageByPath,
  getImage,
  imagesOfOrder,
  insertImage,
  linkImage,
  setItemImageFields,
  type ImageRow,
} from "./repository.ts";

/** A checked image already written to disk, waiting for its row. */
interface StagedImage {
  filename: string;
  mime: ImageMime;
  size: number;
  /** Where the bytes are now. */
  at: string;
  /** The tmp upload it came from, deleted once the order is committed. */
  fromTmp: string | null;
}

/** What to do with one item's image. */
type Decision =
  /** `imagem` absent from the item: leave whatever image the item has. */
  | { kind: "unchanged" }
  | { kind: "none" }
  | { kind: "keep"; rowId: number }
  | { kind: "new"; staged: StagedImage }
  /** An unchanged legacy value we do not serve (a foreign URL, an old OS path): kept as text. */
  | { kind: "verbatim"; value: string };

type Deps = { db: Db; media: MediaStore; config: { maxImageBytes: number }; log?: Logger };

/**
 * The images of one order write: prepared (decoded, checked, written to disk) BEFORE the transaction, linked
 * INSIDE it, and finished (or rolled back) after it.
 * @example
 * const images = await prepareItemImages(ctx, body.items, orderId);      // 400/413 here: nothing written
 * try {
 *   await ctx.db.write((tx) => { const ids = writeItems(tx, …); images.apply(tx, orderId, ids); … });
 * } catch (err) { await images.rollback(); throw err; }
 * await images.commit();                                                  // moves staged files, deletes replaced ones
 */
export interface ItemImages {
  /**
   * The items to write: the same objects, except that a decoded image (a data URL of several MB) is replaced by
   * null, so it is never stored as text; `apply` sets the final `imagem` and `imagem_path`.
   */
  items: Record<string, unknown>[];
  /**
   * Inside the write transaction, once the items are written (`itemIds[i]` = the id of `items[i]`): inserts, links
   * and deletes `pedido_imagens` rows, and sets each item's `imagem` (`/pedidos/imagens/{id}`) and `imagem_path`.
   * Rows of the order no item keeps (removed items, replaced or cleared images) are deleted.
   * @throws AppError 409 when a kept image was removed by a concurrent write.
   */
  apply(tx: Tx, orderId: number, itemIds: readonly number[]): void;
  /** After COMMIT: staged files to their final place, replaced/removed files and promoted tmp uploads deleted. */
  commit(): Promise<void>;
  /** When the transaction failed: deletes every file written by `prepare`. */
  rollback(): Promise<void>;
}

/**
 * Decides and prepares the image of every item. `orderId` is null for a new order.
 * Accepted `imagem` values: a `data:image/...;base64,` URL, a `pedidos/tmp/...` upload reference, a reference we
 * returned (`/pedidos/imagens/{id}`, signed or not, or its `imagem_path`), null/blank (no image), or, on an
 * existing order, the unchanged legacy value an item already holds.
 * @throws AppError 400/413 naming the item; files already written by this call are removed first.
 */
export async function prepareItemImages(
  deps: Deps,
  items: readonly Record<string, unknown>[],
  orderId: number | null,
): Promise<ItemImages> {
  const current = orderId === null ? new Set<string>() : await deps.db.read((q) => currentItemImageValues(q, orderId));
  // No file work (not even a folder) for an order that does not exist; the write would answer 404 anyway.
  if (orderId !== null && !(await deps.db.read((q) => orderExists(q, orderId)))) throw notFound("Pedido não encontrado");
  const decisions: Decision[] = [];
  const written: StagedImage[] = [];
  const max = deps.config.maxImageBytes;
  try {
    for (const [i, item] of items.entries()) {
      const label = `Imagem do item ${i + 1}`;
      if (!Object.hasOwn(item ?? {}, "imagem")) {
        decisions.push({ kind: "unchanged" });
        continue;
      }
      const raw = item.imagem;
      const ref = parseImageRef(raw);
      const stage = async (bytes: Uint8Array, fromTmp: string | null) => {
        const checked = await checkImage(bytes, max, label);
        const filename = newImageName(checked.ext);
        const at = `${orderId === null ? STAGING_DIR : `pedidos/${orderId}`}/${filename}`;
        await writeMediaFile(deps.media, at, bytes);
        const staged = { filename, mime: checked.mime, size: checked.size, at, fromTmp };
        written.push(staged);
        decisions.push({ kind: "new", staged });
      };
      const unchangedOr = (what: string) => {
        if (typeof raw === "string" && current.has(raw)) decisions.push({ kind: "verbatim", value: raw });
        else throw badRequest(`${label}: ${what}`);
      };
      switch (ref.kind) {
        case "none":
          decisions.push({ kind: "none" });
          break;
        case "data":
          await stage(decodeDataUrl(ref.url, max, label), null);
          break;
        case "tmp":
          if (!(await deps.media.realPathInside(ref.path))) unchangedOr("upload temporário não encontrado");
          else await stage(await readMediaFile(deps.media, ref.path, max, label), ref.path);
          break;
        case "row":
        case "path": {
          const row = await deps.db.read((q) => (ref.kind === "row" ? getImage(q, ref.id) : findImageByPath(q, ref.path)));
          if (!row) unchangedOr("imagem não encontrada");
          else if (row.pedidoId === orderId) decisions.push({ kind: "keep", rowId: row.id });
          // An image of another order (a copied item): a copy of its own, so deleting one never breaks the other.
          else await stage(await readRowFile(deps.media, row, max, label), null);
          break;
        }
        case "foreign":
          unchangedOr("referência de imagem não reconhecida (envie uma data URL de imagem ou uma referência de upload)");
          break;
      }
    }
  } catch (err) {
    await removeMediaFiles(
      deps.media,
      written.map((s) => s.at),
      deps.log,
    );
    throw err;
  }

  const itemsToWrite = items.map((item, i) => (decisions[i].kind === "new" ? { ...item, imagem: null, imagem_path: null } : item));
  let removed: string[] = [];
  const moves: { from: string; to: string }[] = [];
  return {
    items: itemsToWrite,
    apply(tx, orderId, itemIds) {
      if (itemIds.length !== decisions.length) throw new Error(`apply: ${itemIds.length} item ids for ${decisions.length} items`);
      moves.length = 0;
      const rows = new Map(imagesOfOrder(tx, orderId).map((r) => [r.id, r]));
      const kept = new Set<number>();
      for (const [index, decision] of decisions.entries()) {
        const itemId = itemIds[index];
        let row: ImageRow | undefined;
        if (decision.kind === "unchanged") {
          row = [...rows.values()].filter((r) => r.itemId === itemId).at(-1);
          if (!row) continue; // no image linked: the item's text stays as it is
        } else if (decision.kind === "keep") {
          row = rows.get(decision.rowId);
          if (!row) throw conflict("A imagem de um item foi alterada por outra requisição; recarregue o pedido");
        } else if (decision.kind === "new") {
          const s = decision.staged;
          const path = `pedidos/${orderId}/${s.filename}`;
          if (s.at !== path) moves.push({ from: s.at, to: path });
          const id = insertImage(tx, {
            pedidoId: orderId,
            itemId,
            itemIndex: index,
            filename: s.filename,
            mimeType: s.mime,
            path,
            size: s.size,
          });
          row = {
            id,
            pedidoId: orderId,
            itemId,
            itemIndex: index,
            filename: s.filename,
            mimeType: s.mime,
            path,
            size: s.size,
            createdAt: null,
          };
        }
        if (row) {
          kept.add(row.id);
          linkImage(tx, row.id, itemId, index);
          setItemImageFields(tx, itemId, imageUrlOf(row.id), row.path);
        } else {
          setItemImageFields(tx, itemId, decision.kind === "verbatim" ? decision.value : null, null);
        }
      }
      removed = [];
      for (const r of rows.values()) {
        if (kept.has(r.id)) continue;
        deleteImage(tx, r.id);
        removed.push(r.path, `${STAGING_DIR}/${r.filename}`);
      }
    },
    async commit() {
      for (const m of moves) {
        try {
          await moveMediaFile(deps.media, m.from, m.to);
        } catch (err) {
          // note: the file stays in staging, where serving and the sweeper still find it by its row's file name.
          deps.log?.error({ err, from: m.from, to: m.to }, "could not move a staged image");
        }
      }
      const tmpUploads = written.map((s) => s.fromTmp).filter((p): p is string => p !== null);
      await removeMediaFiles(deps.media, [...removed, ...tmpUploads], deps.log);
    },
    async rollback() {
      await removeMediaFiles(
        deps.media,
        written.map((s) => s.at),
        deps.log,
      );
    },
  };
}

/** The bytes of a row's file, found in staging when its move after COMMIT has not happened yet. */
async function readRowFile(media: MediaStore, row: ImageRow, max: number, label: string): Promise<Uint8Array> {
  const staged = `${STAGING_DIR}/${row.filename}`;
  const path = !(await media.realPathInside(row.path)) && (await media.realPathInside(staged)) ? staged : row.path;
  return readMediaFile(media, path, max, label);
}

/**
 * Inside the delete transaction of an order: the files its image rows point at (the rows go with the order by
 * cascade). Hand them to `removeMediaFiles` after COMMIT.
 */
export function imageFilesOfOrder(tx: Tx, orderId: number): string[] {
  return imagesOfOrder(tx, orderId).flatMap((r) => [r.path, `${STAGING_DIR}/${r.filename}`]);
}

/** The hook the order writes call inside their transaction, right after the item rows are written. */
export type LinkItemImages = (tx: Tx, orderId: number, itemIds: number[]) => void;

/**
 * The whole image step around one order write: prepare before, `write` (one transaction) in between, then
 * commit, or roll back the files when `write` throws. `items` undefined (a PATCH without `items`): no image work.
 * Called by the order operations (`lib/orders/operations.ts`), never by a handler.
 * @example
 * const order = await writeWithItemImages(deps, body.items, null, (items, afterItems) =>
 *   deps.db.write((tx) => write.createOrder(tx, { ...body, items }, actor, { afterItems })));
 */
export async function writeWithItemImages<T>(
  deps: Deps,
  items: readonly Record<string, unknown>[] | undefined,
  orderId: number | null,
  write: (items: Record<string, unknown>[] | undefined, afterItems: LinkItemImages | undefined) => Promise<T>,
): Promise<T> {
  if (items === undefined) return write(undefined, undefined);
  const images = await prepareItemImages(deps, items, orderId);
  let out: T;
  try {
    out = await write(images.items, images.apply);
  } catch (err) {
    await images.rollback();
    throw err;
  }
  await images.commit();
  return out;
}
