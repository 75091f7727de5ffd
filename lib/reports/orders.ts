import type { Param, Sql } from "../db/connection.ts";
import { itemMaterialArea, itemQuantity } from "../catalogs/measure.ts";
import type { Selection } from "./filters.ts";
import { selectionWhere } from "./selection.ts";
import { adjustedItemValues, itemValueCents } from "./values.ts";

/**
 * The orders of a selection with their items, read in one pass: what the item-level analytics (the closing report,
 * rankings, automação) work from. One query for the orders, then their items in chunks of `CHUNK` orders through
 * `ix_pedido_itens_pedido`: never one query per order, and never more than one chunk of item JSON in memory (a
 * whole history is 30,000 items, ~40 MB of text; a chunk ~600 items). Each item's JSON is parsed once and only its
 * figures are kept.
 * note: not one JOIN: repeating ten order columns on every item row tripled the values the driver materialises,
 * which was most of the time over a year of orders.
 */

/** Orders whose items are read per query; the statement always has this many placeholders (one cached plan). */
export const CHUNK = 200;

export interface ReportItem {
  id: number;
  /** The item's description (trimmed; "" when none). */
  descricao: string;
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
 * Visits the orders of `s` in id order, each with its items (position order). `extra` narrows further with SQL
 * over `p`; `area` computes each item's m² (automação only).
 */
export function eachReportOrder(
  q: Sql,
  s: Selection,
  opts: { extra?: { sql: string; params: Param[] }; area?: boolean },
  visit: (order: ReportOrder) => void,
): void {
  const w = selectionWhere(s);
  const where = opts.extra ? `${w.sql} AND ${opts.extra.sql}` : w.sql;
  const rows = q.all<OrderRow>(
    `SELECT p.id, p.numero, p.cliente, p.forma_envio, p.status, p.data_entrada, p.data_entrega, p.valor_total_cents AS t, p.valor_frete_cents AS f
     FROM pedidos p WHERE ${where} ORDER BY p.id`,
    ...w.params,
    ...(opts.extra?.params ?? []),
  );
  const itemsSql = `SELECT pedido_id AS o, id, data FROM pedido_itens WHERE pedido_id IN (${Array(CHUNK).fill("?").join(", ")}) ORDER BY pedido_id, posicao, id`;
  for (let from = 0; from < rows.length; from += CHUNK) {
    const chunk = rows.slice(from, from + CHUNK);
    const ids: Param[] = chunk.map((r) => r.id);
    while (ids.length < CHUNK) ids.push(-1); // no order has id -1: padding keeps one statement text
    const items = q.all<{ o: number; id: number; data: unknown }>(itemsSql, ...ids);
    let k = 0;
    for (const r of chunk) {
      const order: ReportOrder = {
        id: r.id,
        numero: r.numero,
        cliente: text(r.cliente),
        formaEnvio: text(r.forma_envio),
        status: r.status,
        dataEntrada: r.data_entrada,
        dataEntrega: r.data_entrega || null,
        totalCents: r.t,
        freteCents: r.f,
        items: [],
      };
      const raw: number[] = [];
      // Both lists are in order id order: this order's items are the next run.
      while (k < items.length && items[k].o < r.id) k++;
      for (; k < items.length && items[k].o === r.id; k++) {
        const data = parseItem(items[k].data);
        raw.push(itemValueCents(data));
        order.items.push({
          id: items[k].id,
          descricao: text(data.descricao),
          tipoProducao: text(data.tipo_producao),
          designer: text(data.designer),
          vendedor: text(data.vendedor),
          tecido: text(data.tecido),
          valueCents: 0,
          pieces: itemQuantity(data),
          areaM2: opts.area ? itemMaterialArea(data) : 0,
        });
      }
      const adjusted = adjustedItemValues(raw, order.totalCents, order.freteCents);
      for (let j = 0; j < adjusted.length; j++) order.items[j].valueCents = adjusted[j];
      visit(order);
    }
  }
}
