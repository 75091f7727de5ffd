import type { Param, Sql } from "../db/connection.ts";
import { itemMaterialArea, itemQuantity } from "../catalogs/measure.ts";
import type { Selection } from "./filters.ts";
import { selectionWhere } from "./selection.ts";
import { adjustedItemValues, itemValueCents } from "./values.ts";

/**
 * The orders of a selection with their items, in TWO queries whatever the size (the orders, then all their items
 * by `pedido_id IN` the same selection, through `ix_pedido_itens_pedido`), read in one pass: what the item-level
 * analytics (the closing report, rankings, automação) work from. Each item's JSON is parsed once; nothing is
 * queried per order.
 * note: not one JOIN: repeating ten order columns on every item row tripled the values the driver materialises,
 * which was most of the time over a year of orders.
 */

export interface ReportItem {
  id: number;
  /** The item's fields (parsed JSON; `{}` when the stored JSON is unreadable: the item still counts). */
  data: Record<string, unknown>;
  tipoProducao: string;
  designer: string;
  vendedor: string;
  tecido: string;
  /** Its value in cents, adjusted so the order's items add up to `valor_total − valor_frete`. */
  valueCents: number;
  /** Pieces: the quantity pricing uses. */
  pieces: number;
  /** m² of all its pieces (`lib/catalogs/measure.ts`, the stock and statistics rule); 0 unless asked for. */
  areaM2: number;
}

export interface ReportOrder {
  id: number;
  numero: string | null;
  cliente: string;
  formaEnvio: string;
  status: string;
  dataEntrada: string;
  dataEntrega: string | null;
  totalCents: number;
  freteCents: number;
  items: ReportItem[];
}

interface OrderRow {
  id: number;
  numero: string | null;
  cliente: string | null;
  forma_envio: string | null;
  status: string;
  data_entrada: string;
  data_entrega: string | null;
  t: number;
  f: number;
}

function parseItem(text: unknown): Record<string, unknown> {
  try {
    const v = JSON.parse(String(text ?? "{}"));
    if (v && typeof v === "object" && !Array.isArray(v)) return v;
  } catch {
    // damaged legacy JSON: the item still counts, with no fields
  }
  return {};
}

const text = (v: unknown): string => (typeof v === "string" ? v.trim() : v === null || v === undefined ? "" : String(v).trim());

/**
 * Orders of `s` (id order), each with its items (position order). `extra` narrows further with SQL over `p`;
 * `area` computes each item's m² (automação only).
 */
export function readReportOrders(q: Sql, s: Selection, opts: { extra?: { sql: string; params: Param[] }; area?: boolean } = {}): ReportOrder[] {
  const w = selectionWhere(s);
  const where = opts.extra ? `${w.sql} AND ${opts.extra.sql}` : w.sql;
  const params = [...w.params, ...(opts.extra?.params ?? [])];
  const rows = q.all<OrderRow>(
    `SELECT p.id, p.numero, p.cliente, p.forma_envio, p.status, p.data_entrada, p.data_entrega, p.valor_total_cents AS t, p.valor_frete_cents AS f
     FROM pedidos p WHERE ${where} ORDER BY p.id`,
    ...params,
  );
  if (rows.length === 0) return [];
  const items = q.all<{ o: number; id: number; data: unknown }>(
    `SELECT pedido_id AS o, id, data FROM pedido_itens WHERE pedido_id IN (SELECT p.id FROM pedidos p WHERE ${where}) ORDER BY pedido_id, posicao, id`,
    ...params,
  );
  const out: ReportOrder[] = new Array(rows.length);
  let k = 0;
  for (let n = 0; n < rows.length; n++) {
    const r = rows[n];
    const order: ReportOrder = {
      id: r.id, numero: r.numero, cliente: text(r.cliente), formaEnvio: text(r.forma_envio), status: r.status,
      dataEntrada: r.data_entrada, dataEntrega: r.data_entrega || null, totalCents: r.t, freteCents: r.f, items: [],
    };
    const raw: number[] = [];
    // Both lists are in order id order: the items of this order are the next run.
    while (k < items.length && items[k].o < r.id) k++;
    for (; k < items.length && items[k].o === r.id; k++) {
      const data = parseItem(items[k].data);
      raw.push(itemValueCents(data));
      order.items.push({
        id: items[k].id, data, tipoProducao: text(data.tipo_producao), designer: text(data.designer), vendedor: text(data.vendedor), tecido: text(data.tecido),
        valueCents: 0, pieces: itemQuantity(data), areaM2: opts.area ? itemMaterialArea(data) : 0,
      });
    }
    const adjusted = adjustedItemValues(raw, order.totalCents, order.freteCents);
    for (let j = 0; j < adjusted.length; j++) order.items[j].valueCents = adjusted[j];
    out[n] = order;
  }
  return out;
}
