import type { Param, Sql } from "../db/connection.ts";
import { badRequest } from "../errors.ts";
import { foldText, isBlank, likeEscape } from "../text.ts";
import { toDateOnly } from "../time.ts";
import { JsonBytes } from "./bytes.ts";
import { itemBytesByOrder, wireItemsByOrder, wireItemsOf } from "./items.ts";
import type { OrderStatus } from "./status.ts";
import { appendOrder, appendWireItem, ORDER_COLUMNS, toPedidoResponse, type OrderRow, type PedidoResponse } from "./wire.ts";

/** One order in its wire shape, items included; null when it does not exist. */
export function getOrder(q: Sql, id: number): PedidoResponse | null {
  const row = q.get<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM pedidos WHERE id = ?`, id);
  return row ? toPedidoResponse(row, wireItemsOf(q, id)) : null;
}

export interface OrderFilter {
  /** Exact status, or `concluido` (the client's "Concluído": `pronto` or `entregue`). */
  status?: OrderStatus | "concluido";
  /** Any of these statuses (the reports' `concluido` = pronto + entregue). */
  statusIn?: readonly OrderStatus[];
  /** The list's search box: the customer's name (folded), or for a term of digits also `numero` and `id`. */
  cliente?: string;
  data_inicio?: string;
  data_fim?: string;
  date_mode?: string;
  is_pronto?: boolean;
  tipo_producao?: string;
}

/** Whose ordering the list uses (the original's per-role ordering). */
export interface Viewer {
  isAdmin: boolean;
  setor: string;
}

function checkedDate(name: string, value: string | undefined): string | null {
  if (value === undefined || value.trim() === "") return null;
  const d = toDateOnly(value);
  if (!d) throw badRequest(`${name} inválida: ${value}. Use o formato YYYY-MM-DD.`);
  return d;
}

/**
 * The client's reading of the list's status and date parameters (the rule is in the README, "Orders"):
 * - `date_mode` absent → `qualquer` (either date in range): every screen of the client that sends dates without a
 *   mode filters the rows again by its own date (`data_entrega`), so the server must return a superset;
 * - except the Prontos tab's request, `status=pronto` with dates and no `date_mode`: it shows the rows as they come,
 *   meaning ready orders (`pronto` or `entregue`: the client shows both as "Concluído") due in the range.
 * With an explicit `date_mode`, or without dates, `status=pronto` is exactly `pronto`.
 */
export function clientFilterOf<F extends OrderFilter>(f: F): F {
  const hasDates = !isBlank(f.data_inicio) || !isBlank(f.data_fim);
  if (f.date_mode !== undefined && f.date_mode.trim() !== "") return f;
  if (f.status === "pronto" && hasDates) return { ...f, status: "concluido", date_mode: "entrega" };
  return { ...f, date_mode: "qualquer" };
}

/**
 * A search term that names an order by number: digits, optionally after `#` and with spaces (`25`, `#25`,
 * `0000000025`). Null for any other term (a name, or digits mixed with letters: those search the name only).
 */
function orderNumberTerm(term: string): string | null {
  const compact = term.replace(/[\s#]/g, "");
  return /^\d{1,20}$/.test(compact) ? compact : null;
}

/**
 * The WHERE clause of the list and the total (drafts excluded). Dates are `YYYY-MM-DD` since migration, so
 * inclusive text bounds are exact, and the list and the total always agree (the original's did not, §8.13).
 * note: the search of a number matches as the client's own filter does (substring of the zero-padded `numero`,
 * of `numero` without its zeros, and of the id), so the server returns a superset of what the client then keeps.
 */
function whereOf(f: OrderFilter, checkRange: boolean): { sql: string; params: Param[] } {
  const where = ["rascunho = 0"];
  const params: Param[] = [];
  if (f.status === "concluido") where.push("status IN ('pronto', 'entregue')");
  else if (f.status) { where.push("status = ?"); params.push(f.status); }
  if (f.statusIn) { where.push(`status IN (${f.statusIn.map(() => "?").join(", ")})`); params.push(...f.statusIn); }
  const term = foldText(f.cliente);
  if (term) {
    const digits = orderNumberTerm(term);
    const byName = "cliente_busca LIKE ? ESCAPE '\\'";
    if (digits === null) { where.push(byName); params.push(`%${likeEscape(term)}%`); }
    else {
      const unpadded = digits.replace(/^0+/, "");
      where.push(`(${byName} OR numero LIKE ? OR ltrim(numero, '0') LIKE ? OR CAST(id AS TEXT) LIKE ?)`);
      params.push(`%${likeEscape(term)}%`, `%${digits}%`, `%${unpadded || digits}%`, `%${unpadded || digits}%`);
    }
  }
  if (f.is_pronto !== undefined) { where.push("pronto = ?"); params.push(f.is_pronto ? 1 : 0); }
  if (f.tipo_producao && f.tipo_producao.trim()) {
    where.push("EXISTS (SELECT 1 FROM pedido_itens i WHERE i.pedido_id = pedidos.id AND lower(trim(i.tipo_producao)) = ?)");
    params.push(f.tipo_producao.trim().toLowerCase());
  }
  const from = checkedDate("data_inicio", f.data_inicio);
  const to = checkedDate("data_fim", f.data_fim);
  if (checkRange && from && to && from > to) throw badRequest("data_inicio deve ser menor ou igual a data_fim");
  const mode = (f.date_mode ?? "entrada").trim().toLowerCase() || "entrada";
  if (from || to) {
    const range = (col: string) => {
      const parts: string[] = [];
      if (from) { parts.push(`${col} >= ?`); params.push(from); }
      if (to) { parts.push(`${col} <= ?`); params.push(to); }
      return parts.join(" AND ");
    };
    if (mode === "entrada") where.push(range("data_entrada"));
    else if (mode === "qualquer") where.push(`((${range("data_entrada")}) OR (${range("data_entrega")}))`);
    else where.push(range("data_entrega")); // the original: any other mode behaves like "entrega"
  }
  return { sql: where.join(" AND "), params };
}

/** admin: financeiro pending first; setor impressao: sublimação pending first; then ALTA first, newest id. */
function orderByOf(viewer: Viewer | null): string {
  if (viewer?.isAdmin) return "financeiro ASC, (prioridade = 'ALTA') DESC, id DESC";
  if (viewer?.setor === "impressao") return "sublimacao ASC, (prioridade = 'ALTA') DESC, id DESC";
  return "data_criacao DESC, id DESC";
}

/**
 * `GET /pedidos/`: filtered, ordered for the viewer, paged (`limit` absent = every row), as UTF-8 JSON bytes.
 * Two queries whatever the size: the orders, then all their items (`pedido_id IN` the same selection). The stored
 * item JSON goes from SQLite to the response as bytes, never parsed or turned into JS strings: 10,000 orders must
 * answer well under the client's 10 s.
 * `mapImage` rewrites the `imagem` of items that have one (URL signing).
 */
export function listOrdersBytes(q: Sql, f: OrderFilter & { skip?: number; limit?: number }, viewer: Viewer | null, mapImage?: (value: unknown) => unknown): JsonBytes {
  const { sql, params } = whereOf(f, true);
  const selection = `FROM pedidos WHERE ${sql} ORDER BY ${orderByOf(viewer)} LIMIT ? OFFSET ?`;
  const all = [...params, f.limit ?? -1, f.skip ?? 0];
  const rows = q.all<OrderRow>(`SELECT ${ORDER_COLUMNS} ${selection}`, ...all);
  const items = rows.length ? itemBytesByOrder(q, `SELECT id ${selection}`, all) : new Map();
  const out = new JsonBytes().asciiText("[");
  rows.forEach((r, i) => {
    appendOrder(out, i ? "," : "", r, () => {
      const list = items.get(r.id) ?? [];
      for (let k = 0; k < list.length; k++) appendWireItem(out, k ? "," : "", list[k].id, list[k].data, mapImage);
    });
  });
  return out.asciiText("]");
}

/** `GET /pedidos/total`: the list's filters, counted. */
export function countOrders(q: Sql, f: OrderFilter): number {
  const { sql, params } = whereOf(f, false);
  return q.get<{ n: number }>(`SELECT COUNT(*) AS n FROM pedidos WHERE ${sql}`, ...params)!.n;
}

/** Orders chosen by a raw WHERE clause (internal callers only), with their items in one query. */
export function ordersWhere(q: Sql, where: string, params: Param[], orderBy = "id DESC", limit = -1): PedidoResponse[] {
  const selection = `FROM pedidos WHERE ${where} ORDER BY ${orderBy} LIMIT ?`;
  const rows = q.all<OrderRow>(`SELECT ${ORDER_COLUMNS} ${selection}`, ...params, limit);
  if (rows.length === 0) return [];
  const items = wireItemsByOrder(q, `SELECT id ${selection}`, [...params, limit]);
  return rows.map((r) => toPedidoResponse(r, items.get(r.id) ?? []));
}

/** `GET /pedidos/status/{status}`: every (non-draft) order with that status. */
export const ordersByStatus = (q: Sql, status: OrderStatus): PedidoResponse[] =>
  ordersWhere(q, "rascunho = 0 AND status = ?", [status], "id DESC");

/** `GET /pedidos/rascunhos`: every draft, the most recently edited first. */
export const listDrafts = (q: Sql): PedidoResponse[] =>
  ordersWhere(q, "rascunho = 1", [], "ultima_atualizacao DESC, id DESC");

export const orderExists = (q: Sql, id: number): boolean => !!q.get("SELECT 1 FROM pedidos WHERE id = ?", id);
