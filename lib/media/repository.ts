import type { Sql, Tx } from "../db/connection.ts";
import { nowIso } from "../time.ts";

/** A row of `pedido_imagens`: one stored item image. */
export interface ImageRow {
  id: number;
  pedidoId: number;
  itemId: number | null;
  itemIndex: number | null;
  filename: string;
  mimeType: string;
  /** Relative to the media root, forward slashes (legacy backslashes normalised on read). */
  path: string;
  size: number;
  createdAt: string | null;
}

interface RawRow {
  id: number;
  pedido_id: number;
  item_id: number | null;
  item_index: number | null;
  filename: string;
  mime_type: string;
  path: string;
  tamanho: number;
  criado_em: string | null;
}

const COLUMNS = "id, pedido_id, item_id, item_index, filename, mime_type, path, tamanho, criado_em";

const toRow = (r: RawRow): ImageRow => ({
  id: r.id,
  pedidoId: r.pedido_id,
  itemId: r.item_id,
  itemIndex: r.item_index,
  filename: r.filename,
  mimeType: r.mime_type,
  path: String(r.path).replace(/\\/g, "/"),
  size: Number(r.tamanho) || 0,
  createdAt: r.criado_em,
});

export function getImage(q: Sql, id: number): ImageRow | null {
  const r = q.get<RawRow>(`SELECT ${COLUMNS} FROM pedido_imagens WHERE id = ?`, id);
  return r ? toRow(r) : null;
}

/** The image row stored at `path` (forward slashes; a legacy row written with backslashes matches too). */
export function findImageByPath(q: Sql, path: string): ImageRow | null {
  const r =
    q.get<RawRow>(`SELECT ${COLUMNS} FROM pedido_imagens WHERE path = ? ORDER BY id DESC LIMIT 1`, path) ??
    q.get<RawRow>(`SELECT ${COLUMNS} FROM pedido_imagens WHERE path = ? ORDER BY id DESC LIMIT 1`, path.replace(/\//g, "\\"));
  return r ? toRow(r) : null;
}

export function imagesOfOrder(q: Sql, orderId: number): ImageRow[] {
  return q.all<RawRow>(`SELECT ${COLUMNS} FROM pedido_imagens WHERE pedido_id = ? ORDER BY id`, orderId).map(toRow);
}

export const orderExists = (q: Sql, orderId: number) => !!q.get("SELECT 1 AS x FROM pedidos WHERE id = ?", orderId);

/** The `imagem` strings the items of an order hold now (to recognise an unchanged legacy value sent back). */
export function currentItemImageValues(q: Sql, orderId: number): Set<string> {
  const rows = q.all<{ v: unknown }>(
    "SELECT json_extract(data, '$.imagem') AS v FROM pedido_itens WHERE pedido_id = ? AND json_valid(data)",
    orderId,
  );
  return new Set(rows.map((r) => r.v).filter((v): v is string => typeof v === "string" && v !== ""));
}

export interface NewImageRow {
  pedidoId: number;
  itemId: number;
  itemIndex: number;
  filename: string;
  mimeType: string;
  path: string;
  size: number;
}

export function insertImage(tx: Tx, row: NewImageRow): number {
  return tx.run(
    `INSERT INTO pedido_imagens (pedido_id, item_id, item_index, item_identificador, filename, mime_type, path, tamanho, criado_em)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    row.pedidoId,
    row.itemId,
    row.itemIndex,
    String(row.itemId),
    row.filename,
    row.mimeType,
    row.path,
    row.size,
    nowIso(),
  ).lastInsertRowid;
}

export function linkImage(tx: Tx, id: number, itemId: number, itemIndex: number): void {
  tx.run(
    "UPDATE pedido_imagens SET item_id = ?, item_index = ?, item_identificador = ? WHERE id = ?",
    itemId,
    itemIndex,
    String(itemId),
    id,
  );
}

export function deleteImage(tx: Tx, id: number): void {
  tx.run("DELETE FROM pedido_imagens WHERE id = ?", id);
}

/** Writes the item's wire image fields into its stored JSON (the response and the event read them from there). */
export function setItemImageFields(tx: Tx, itemId: number, imagem: string | null, imagemPath: string | null): void {
  // An item that already holds null for both (every imageless item of a create) is not rewritten: no page, index or
  // trigger work for a no-op.
  tx.run(
    `UPDATE pedido_itens SET data = json_set(data, '$.imagem', ?1, '$.imagem_path', ?2) WHERE id = ?3
       AND NOT (?1 IS NULL AND ?2 IS NULL AND json_valid(data) AND json_type(data, '$.imagem') IS 'null' AND json_type(data, '$.imagem_path') IS 'null')`,
    imagem,
    imagemPath,
    itemId,
  );
}

/** The `pedidos/tmp/` references items still hold (a failed promotion in the original left them there). */
export function tmpPathsInUse(q: Sql): Set<string> {
  const rows = q.all<{ v: unknown }>(
    "SELECT json_extract(data, '$.imagem') AS v FROM pedido_itens WHERE data LIKE '%pedidos/tmp/%' AND json_valid(data)",
  );
  const out = new Set<string>();
  for (const r of rows) {
    const m = typeof r.v === "string" ? /pedidos\/tmp\/([^/?#\\]+)/.exec(r.v) : null;
    if (m) out.add(m[1]);
  }
  return out;
}

/** True when a stored row points at a file of that name (used to finish or drop leftover staged files). */
export function imageRowByFilename(q: Sql, filename: string): ImageRow | null {
  const r = q.get<RawRow>(`SELECT ${COLUMNS} FROM pedido_imagens WHERE filename = ? ORDER BY id DESC LIMIT 1`, filename);
  return r ? toRow(r) : null;
}
