import type { Sql } from "../db/connection.ts";
import { itemImageRef, readOrderItems, storedSpellings, type OrderItemRow, type SignImage } from "../catalogs/order-items.ts";

/**
 * The designers' art panel (client-contract §1.4, spec §3.9): the items assigned to a designer in orders still
 * in progress, with their art status and comments. No money fields.
 */

export const ART_STATUSES = ["aguardando", "liberado"] as const;
export type ArtStatus = (typeof ART_STATUSES)[number];

/** Orders whose items no longer need art. */
const CLOSED = ["cancelado", "entregue"] as const;

/** Item fields copied to the panel as they are stored (null when absent). */
const ITEM_FIELDS = [
  "tipo_producao",
  "descricao",
  "largura",
  "altura",
  "metro_quadrado",
  "observacao",
  "tecido",
  "composicao_tecidos",
  "vendedor",
  "emenda",
  "emenda_qtd",
  "quantidade_paineis",
  "quantidade_totem",
  "quantidade_lona",
  "quantidade_adesivo",
  "tipo_acabamento",
  "quantidade_ilhos",
  "espaco_ilhos",
  "quantidade_cordinha",
  "espaco_cordinha",
  "tipo_adesivo",
  "acabamento_lona",
  "acabamento_totem",
  "acabamento_totem_outro",
  "terceirizado",
  "ziper",
  "cordinha_extra",
  "alcinha",
  "toalha_pronta",
] as const;

export interface Comment {
  id: string;
  autor: string;
  texto: string;
  data: string;
}

/** The original's first panel kept the art status in the item's `legenda_imagem` (`LIBERADO` / `AGUARDANDO`). */
export const legacyReleased = (item: Record<string, unknown>): boolean =>
  String(item.legenda_imagem ?? "")
    .trim()
    .toUpperCase() === "LIBERADO";

/**
 * An item's art status: `liberado` when its `status_arte` or the legacy `legenda_imagem` says so, else `aguardando`.
 * note: stored items always carry the default `status_arte: "aguardando"` (migration 003 adds it to legacy items),
 * which masked the legacy flag in the original (spec §8.29); so `aguardando` does not override it, and holding
 * the art back rewrites the legacy flag too (`setArtStatus`).
 */
export function artStatusOf(item: Record<string, unknown>): ArtStatus {
  const s = typeof item.status_arte === "string" ? item.status_arte.trim().toLowerCase() : "";
  return s === "liberado" || legacyReleased(item) ? "liberado" : "aguardando";
}

/** The item's comments, well-formed ones only. */
export function commentsOf(item: Record<string, unknown>): Comment[] {
  if (!Array.isArray(item.comentarios)) return [];
  return item.comentarios
    .filter((c): c is Record<string, unknown> => !!c && typeof c === "object")
    .map((c) => ({ id: String(c.id ?? ""), autor: String(c.autor ?? ""), texto: String(c.texto ?? ""), data: String(c.data ?? "") }));
}

/** One row in the client's `DesignerArteItem` shape. */
export function toPanelItem(r: OrderItemRow, sign: SignImage) {
  const out: Record<string, unknown> = {
    item_id: r.itemId,
    order_id: r.orderId,
    numero_pedido: r.numero ?? String(r.orderId),
    cliente: r.cliente,
    data_entrega: r.dataEntrega,
    status_pedido: r.status,
    prioridade: r.prioridade,
    status_arte: artStatusOf(r.item),
    imagem: itemImageRef(r.item, sign),
    acabamento: r.item.acabamento && typeof r.item.acabamento === "object" ? r.item.acabamento : null,
  };
  for (const f of ITEM_FIELDS) out[f] = r.item[f] ?? null;
  out.comentarios = commentsOf(r.item);
  return out;
}
export type PanelItem = ReturnType<typeof toPanelItem>;

export interface PanelQuery {
  start_date?: string;
  end_date?: string;
  limit: number;
  offset: number;
}

/**
 * `GET /designers/{nome}/itens`: the designer's items (name matched ignoring case, accents and spaces) in orders
 * not cancelled or delivered, newest entry date first, paged in SQL.
 */
export function listDesignerItems(q: Sql, nome: string, f: PanelQuery, sign: SignImage): PanelItem[] {
  const spellings = storedSpellings(q, "designer", nome);
  if (spellings.length === 0) return [];
  return readOrderItems(q, {
    designers: spellings,
    statusNotIn: CLOSED,
    from: f.start_date,
    to: f.end_date,
    limit: f.limit,
    offset: f.offset,
  }).map((r) => toPanelItem(r, sign));
}

/** One item (of any order, drafts included) in the panel shape, or null. */
export function panelItemById(q: Sql, itemId: number, sign: SignImage): PanelItem | null {
  const [row] = readOrderItems(q, { itemIds: [itemId], includeDrafts: true });
  return row ? toPanelItem(row, sign) : null;
}
