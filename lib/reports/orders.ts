import type { Param, Sql } from "../db/connection.ts";
import { itemMaterialArea, itemQuantity } from "../catalogs/measure.ts";
import type { Selection } from "./filters.ts";
import { selectionWhere } from "./selection.ts";
import { adjustedItemValues, itemValueCents } from "./values.ts";

/**
 * The orders of a selection with their items, in ONE query (orders joined to their items; orders without items
 * kept), read in one pass: what the item-level analytics (the closing report, rankings, automação) work from.
 * Each item's JSON is parsed once; nothing is queried per order.
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
  /** m² of all its pieces (`lib/catalogs/measure.ts`, the stock and statistics rule). */
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

interface Row {
  id: number;
  numero: string | null;
  cliente: string | null;
  forma_envio: string | null;
  status: string;
  data_entrada: string;
  data_entrega: string | null;
  t: number;
  f: number;
  iid: number | null;
  tipo: string | null;
  designer: string | null;
  vendedor: string | null;
  tecido: string | null;
  data: string | null;
}

function parseItem(text: string | null): Record<string, unknown> {
  try {
    const v = JSON.parse(text ?? "{}");
    if (v && typeof v === "object" && !Array.isArray(v)) return v;
  } catch {
    // damaged legacy JSON: the item still counts, with no fields
  }
  return {};
}

const trim = (v: unknown): string => (typeof v === "string" ? v.trim() : v === null || v === undefined ? "" : String(v).trim());

/**
 * Orders of `s` (id order), each with its items (position order). `extra` narrows further with SQL over `p`.
 * note: the item columns `tipo_producao`, `designer`, `vendedor`, `tecido` are the stored copies of the item's
 * fields (`lib/orders/items.ts`), read without touching the JSON.
 */
export function readReportOrders(q: Sql, s: Selection, extra?: { sql: string; params: Param[] }): ReportOrder[] {
  const w = selectionWhere(s);
  const where = extra ? `${w.sql} AND ${extra.sql}` : w.sql;
  const rows = q.all<Row>(
    `SELECT p.id, p.numero, p.cliente, p.forma_envio, p.status, p.data_entrada, p.data_entrega, p.valor_total_cents AS t,
       p.valor_frete_cents AS f, i.id AS iid, i.tipo_producao AS tipo, i.designer, i.vendedor, i.tecido, i.data
     FROM pedidos p LEFT JOIN pedido_itens i ON i.pedido_id = p.id
     WHERE ${where}
     ORDER BY p.id, i.posicao, i.id`,
    ...w.params, ...(extra?.params ?? []),
  );
  const out: ReportOrder[] = [];
  let cur: ReportOrder | null = null;
  let raw: number[] = [];
  const close = () => {
    if (!cur) return;
    const adjusted = adjustedItemValues(raw, cur.totalCents, cur.freteCents);
    cur.items.forEach((it, k) => (it.valueCents = adjusted[k]));
  };
  for (const r of rows) {
    if (!cur || cur.id !== r.id) {
      close();
      cur = {
        id: r.id, numero: r.numero, cliente: trim(r.cliente), formaEnvio: trim(r.forma_envio), status: r.status,
        dataEntrada: r.data_entrada, dataEntrega: r.data_entrega || null, totalCents: r.t, freteCents: r.f, items: [],
      };
      raw = [];
      out.push(cur);
    }
    if (r.iid === null) continue;
    const data = parseItem(r.data);
    raw.push(itemValueCents(data));
    cur.items.push({
      id: r.iid, data, tipoProducao: trim(r.tipo), designer: trim(r.designer), vendedor: trim(r.vendedor), tecido: trim(r.tecido),
      valueCents: 0, pieces: itemQuantity(data), areaM2: itemMaterialArea(data),
    });
  }
  close();
  return out;
}
