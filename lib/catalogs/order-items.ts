import type { Param, Sql } from "../db/connection.ts";
import type { MediaStore } from "../media/store.ts";
import { signImageRef } from "../media/wire.ts";
import { foldText } from "../text.ts";

/**
 * Items of real orders (drafts excluded) with the order fields the panels, queues and statistics show.
 * One query with a join; the item JSON is parsed once per row.
 */

export interface OrderItemRow {
  itemId: number;
  /** The item's position in its order (0-based). */
  index: number;
  orderId: number;
  machineId: number | null;
  numero: string | null;
  cliente: string;
  status: string;
  prioridade: string;
  dataEntrada: string;
  dataEntrega: string | null;
  item: Record<string, unknown>;
}

export interface ItemFilter {
  /** Inclusive bounds on `data_entrada` (`YYYY-MM-DD`, compared as text like the original). */
  from?: string;
  to?: string;
  statusIn?: readonly string[];
  statusNotIn?: readonly string[];
  /** Exact `pedido_itens.designer` values (see `storedSpellings`). */
  designers?: readonly string[];
  machineIds?: readonly number[];
  itemIds?: readonly number[];
  tipoProducao?: string;
  /** Drafts are not orders yet: left out unless asked for. */
  includeDrafts?: boolean;
  limit?: number;
  offset?: number;
}

const marks = (n: number) => Array.from({ length: n }, () => "?").join(", ");

function whereOf(f: ItemFilter): { sql: string; params: Param[] } {
  const where = f.includeDrafts ? ["1 = 1"] : ["p.rascunho = 0"];
  const params: Param[] = [];
  if (f.from) {
    where.push("p.data_entrada >= ?");
    params.push(f.from);
  }
  if (f.to) {
    where.push("p.data_entrada <= ?");
    params.push(f.to);
  }
  if (f.statusIn) {
    where.push(`p.status IN (${marks(f.statusIn.length)})`);
    params.push(...f.statusIn);
  }
  if (f.statusNotIn?.length) {
    where.push(`p.status NOT IN (${marks(f.statusNotIn.length)})`);
    params.push(...f.statusNotIn);
  }
  if (f.designers) {
    where.push(`i.designer IN (${marks(f.designers.length)})`);
    params.push(...f.designers);
  }
  if (f.machineIds) {
    where.push(`i.machine_id IN (${marks(f.machineIds.length)})`);
    params.push(...f.machineIds);
  }
  if (f.itemIds) {
    where.push(`i.id IN (${marks(f.itemIds.length)})`);
    params.push(...f.itemIds);
  }
  if (f.tipoProducao !== undefined) {
    where.push("i.tipo_producao = ?");
    params.push(f.tipoProducao);
  }
  return { sql: where.join(" AND "), params };
}

/** Items matching `f`, newest order first (by `data_entrada`, then id), in item order within an order. */
export function readOrderItems(q: Sql, f: ItemFilter = {}): OrderItemRow[] {
  const { sql: where, params } = whereOf(f);
  let sql = `SELECT i.id AS item_id, i.posicao, i.machine_id, i.data, p.id AS order_id, p.numero, p.cliente, p.status, p.prioridade,
      p.data_entrada, p.data_entrega
    FROM pedido_itens i JOIN pedidos p ON p.id = i.pedido_id
    WHERE ${where}
    ORDER BY p.data_entrada DESC, p.id DESC, i.posicao`;
  if (f.limit !== undefined) {
    sql += " LIMIT ? OFFSET ?";
    params.push(f.limit, f.offset ?? 0);
  }
  return q.all<Record<string, unknown>>(sql, ...params).map(toOrderItemRow);
}

/** What the statistics need of an item: its order, the order's entry date, and the item. */
export interface ItemFact {
  orderId: number;
  dataEntrada: string;
  item: Record<string, unknown>;
}

/**
 * Items matching `f` for aggregates: three columns and no sort, because materializing rows is most of the cost
 * over a whole year of orders.
 */
export function readItemFacts(q: Sql, f: Omit<ItemFilter, "limit" | "offset"> = {}): ItemFact[] {
  const { sql: where, params } = whereOf(f);
  return q
    .all<{ o: number; d: string; data: string }>(
      `SELECT p.id AS o, p.data_entrada AS d, i.data FROM pedido_itens i JOIN pedidos p ON p.id = i.pedido_id WHERE ${where}`,
      ...params,
    )
    .map((r) => ({ orderId: r.o, dataEntrada: String(r.d ?? ""), item: parseItem(r.data) }));
}

function parseItem(data: unknown): Record<string, unknown> {
  try {
    const parsed = JSON.parse(String(data ?? "{}"));
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed;
  } catch {
    // a damaged item still counts, with no fields
  }
  return {};
}

function toOrderItemRow(r: Record<string, unknown>): OrderItemRow {
  const item = parseItem(r.data);
  return {
    itemId: Number(r.item_id),
    index: Number(r.posicao),
    orderId: Number(r.order_id),
    machineId: r.machine_id === null || r.machine_id === undefined ? null : Number(r.machine_id),
    numero: r.numero === null ? null : String(r.numero),
    cliente: String(r.cliente ?? ""),
    status: String(r.status ?? ""),
    prioridade: String(r.prioridade ?? "NORMAL"),
    dataEntrada: String(r.data_entrada ?? ""),
    dataEntrega: r.data_entrega === null || r.data_entrega === undefined ? null : String(r.data_entrega),
    item,
  };
}

/**
 * Every stored spelling of a name in an item column (`" ana "`, `"ANA"`, `"Ána"` for `ana`), so the query can
 * use the column's index with `IN (...)`. note: SQLite's lower() is ASCII-only, so folding happens here.
 */
export function storedSpellings(q: Sql, column: "designer" | "tecido" | "vendedor", name: string): string[] {
  const wanted = foldText(name);
  return q
    .all<{ v: string }>(`SELECT DISTINCT ${column} AS v FROM pedido_itens WHERE ${column} IS NOT NULL`)
    .map((r) => r.v)
    .filter((v) => foldText(v) === wanted);
}

/** Turns a stored image reference into the one a client may load (signed, expiring). */
export type SignImage = (ref: string) => string;

/** The signer for a request's responses. note: event payloads keep the unsigned, non-expiring reference. */
export const imageSignerOf =
  (media: Pick<MediaStore, "signer">): SignImage =>
  (ref) =>
    String(signImageRef(media.signer, ref));

/** The image of an item as the panels show it: its `imagem`, signed, or null. */
export const itemImageRef = (item: Record<string, unknown>, sign: SignImage): string | null =>
  typeof item.imagem === "string" && item.imagem.trim() !== "" ? sign(item.imagem) : null;
