import type { Db, Param, Sql } from "../db/connection.ts";
import { JsonBody, type JsonChunks } from "../body.ts";
import { badRequest } from "../errors.ts";
import { foldText, isBlank, likeEscape } from "../text.ts";
import { toDateOnly } from "../time.ts";
import { ImageSigner } from "./bytes.ts";
import type { UrlSigner } from "../media/signing.ts";
import { signImageRef } from "../media/wire.ts";
import { wireItemsByOrder } from "./items.ts";
import type { OrderStatus } from "./status.ts";
import { ORDERS_VERSION, orderJsonOf, ordersJsonOf } from "./stored.ts";
import {
  ITEM_TEXT_COLUMNS,
  ORDER_COLUMNS,
  orderFromRows,
  orderWire,
  toPedidoResponse,
  type ItemText,
  type OrderRow,
  type PedidoResponse,
} from "./wire.ts";

/**
 * One order in its wire shape, items included; null when it does not exist. Two point reads; the items' stored
 * texts are kept, so serializing the order (`orderWire`) needs no parse, and `items` is parsed only if read.
 */
export function getOrder(q: Sql, id: number): PedidoResponse | null {
  const row = q.get<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM pedidos WHERE id = ?`, id);
  return row
    ? orderFromRows(row, q.all<ItemText>(`SELECT ${ITEM_TEXT_COLUMNS} FROM pedido_itens WHERE pedido_id = ? ORDER BY posicao, id`, id))
    : null;
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
  else if (f.status) {
    where.push("status = ?");
    params.push(f.status);
  }
  if (f.statusIn) {
    where.push(`status IN (${f.statusIn.map(() => "?").join(", ")})`);
    params.push(...f.statusIn);
  }
  const term = foldText(f.cliente);
  if (term) {
    const digits = orderNumberTerm(term);
    const byName = "cliente_busca LIKE ? ESCAPE '\\'";
    if (digits === null) {
      where.push(byName);
      params.push(`%${likeEscape(term)}%`);
    } else {
      const unpadded = digits.replace(/^0+/, "");
      where.push(`(${byName} OR numero LIKE ? OR ltrim(numero, '0') LIKE ? OR CAST(id AS TEXT) LIKE ?)`);
      params.push(`%${likeEscape(term)}%`, `%${digits}%`, `%${unpadded || digits}%`, `%${unpadded || digits}%`);
    }
  }
  if (f.is_pronto !== undefined) {
    where.push("pronto = ?");
    params.push(f.is_pronto ? 1 : 0);
  }
  if (f.tipo_producao?.trim()) {
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
      if (from) {
        parts.push(`${col} >= ?`);
        params.push(from);
      }
      if (to) {
        parts.push(`${col} <= ?`);
        params.push(to);
      }
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
 * `GET /pedidos/`, first step: the ids of the selection, filtered, ordered for the viewer, paged (`limit` absent =
 * every row). Only ids are sorted (the indexes of migration 011 give each viewer's order without a sort); the JSON
 * is read afterwards, chunk by chunk (`orderListStream`).
 */
export function listOrderIds(q: Sql, f: OrderFilter & { skip?: number; limit?: number }, viewer: Viewer | null): number[] {
  const { sql, params } = whereOf(f, true);
  return idsOf(q, `SELECT id FROM pedidos WHERE ${sql} ORDER BY ${orderByOf(viewer)} LIMIT ? OFFSET ?`, [
    ...params,
    f.limit ?? -1,
    f.skip ?? 0,
  ]);
}

/**
 * The ids a `SELECT id …` returns, in its order, as one JSON array built by SQLite: 10,000 ids cost ~1 ms this way
 * instead of ~6 ms as 10,000 rows through the driver.
 * note: the inner query has a LIMIT, so SQLite runs it as a co-routine feeding the aggregate in its own order.
 */
function idsOf(q: Sql, select: string, params: Param[]): number[] {
  const r = q.get<{ ids: string }>(
    `SELECT json_group_array(id) AS ids FROM (${/\bLIMIT\b/i.test(select) ? select : `${select} LIMIT -1`})`,
    ...params,
  );
  return r ? (JSON.parse(r.ids) as number[]) : [];
}

/**
 * The response memo key of a list (`JsonStream.memoKey`): the same key means the same bytes. It holds the orders'
 * change counter (`pedidos_versao`, bumped by triggers on every change of an order row or item, by any code or
 * process), read here before any of the list is, the viewer's ordering, the image signatures' current expiry
 * (they change once an hour) and the query. So a memoized list is served only while nothing it shows changed.
 */
export function listMemoKey(q: Sql, route: string, filter: object, viewer: Viewer | null, signer: UrlSigner): string {
  const query = filter as Record<string, unknown>;
  const version = q.get<{ value: number }>("SELECT value FROM sequences WHERE name = ?", ORDERS_VERSION)?.value ?? 0;
  const exp = /[?&]exp=(\d+)/.exec(signer.sign("/pedidos/imagens/0"))?.[1] ?? "";
  const ordering = viewer?.isAdmin ? "admin" : viewer?.setor === "impressao" ? "impressao" : "outros";
  const canonical = Object.keys(query)
    .sort()
    .map((k) => `${k}=${String(query[k])}`)
    .join("&");
  return `${route}|v${version}|${ordering}|e${exp}|${canonical}`;
}

/** The image signer of one response (a fresh memo per request). */
export const responseSigner = (signer: UrlSigner): ImageSigner => new ImageSigner((value) => signImageRef(signer, value));

/** Chunks of a streamed list: about this many bytes each (a few ms of work, then the socket takes it). */
const CHUNK_BYTES = 256 * 1024;
/** Orders read per statement while filling a chunk: a few at first, then as many as the sizes seen so far fit. */
const FIRST_BATCH = 4;
const MAX_BATCH = 64;

/**
 * The JSON array of the orders `ids`, in that order, from their stored wire JSON, images signed on the way out, as
 * chunks of ~256 KB produced on demand: a 10,000-order list (70 MB) is never in memory at once, and each chunk is
 * one short synchronous read, so no request holds the event loop (ten people opening "Todos" together interleave).
 * note: each order is read as committed when its chunk is produced; an order deleted meanwhile is left out, one
 * changed meanwhile comes in its newer form (each one whole: one row).
 */
export function orderListStream(
  db: Db,
  selection: readonly number[] | (() => Promise<readonly number[]>),
  signer: ImageSigner,
): JsonChunks {
  // The ids are selected on the first pull (a response memo hit never pulls, so it never pays for the sort).
  let ids: readonly number[] = typeof selection === "function" ? [] : selection;
  let select = typeof selection === "function" ? selection : null;
  let at = 0;
  let started = false;
  let done = false;
  let seen = 0;
  let seenBytes = 0;
  return {
    async next() {
      if (done) return null;
      if (select) {
        ids = await select();
        select = null;
      }
      const out: Uint8Array[] = [];
      let bytes = 0;
      if (!started) {
        out.push(OPEN);
        bytes++;
      }
      while (bytes < CHUNK_BYTES && at < ids.length) {
        // As many orders as should fill the rest of the chunk, judging by the sizes seen so far.
        const fit = seen ? Math.ceil((CHUNK_BYTES - bytes) / (seenBytes / seen)) : FIRST_BATCH;
        const batch = ids.slice(at, at + Math.max(1, Math.min(MAX_BATCH, fit)));
        at += batch.length;
        const orders = await db.read((q) => ordersJsonOf(q, batch));
        for (const o of orders) {
          if (started) {
            out.push(COMMA);
            bytes++;
          }
          started = true;
          const n = signer.push(out, o.json, o.images);
          bytes += n;
          seen++;
          seenBytes += n;
        }
      }
      if (at >= ids.length) {
        out.push(CLOSE);
        done = true;
      }
      return out.length === 1 ? out[0] : Buffer.concat(out);
    },
    close() {
      done = true;
    },
  };
}
const OPEN = Buffer.from("[");
const COMMA = Buffer.from(",");
const CLOSE = Buffer.from("]");

/** One order as its wire JSON (images signed), or null when it does not exist. */
export function orderBody(q: Sql, id: number, signer: ImageSigner): JsonBody | null {
  const o = orderJsonOf(q, id);
  if (!o) return null;
  const parts: Uint8Array[] = [];
  signer.push(parts, o.json, o.images);
  return new JsonBody(parts);
}

/** An order just written (the object a write returned), from the text it was serialized to at emit. */
export function writtenOrderBody(order: PedidoResponse, signer: ImageSigner): JsonBody {
  const wire = orderWire(order);
  const parts: Uint8Array[] = [];
  signer.push(parts, Buffer.from(wire.json, "utf8"), wire.images);
  return new JsonBody(parts);
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

/** `GET /pedidos/status/{status}`: the ids of every (non-draft) order with that status, newest first. */
export const orderIdsByStatus = (q: Sql, status: OrderStatus): number[] =>
  idsOf(q, "SELECT id FROM pedidos WHERE rascunho = 0 AND status = ? ORDER BY id DESC", [status]);

/** `GET /pedidos/rascunhos`: the ids of every draft, the most recently edited first. */
export const draftIds = (q: Sql): number[] =>
  idsOf(q, "SELECT id FROM pedidos WHERE rascunho = 1 ORDER BY ultima_atualizacao DESC, id DESC", []);

export const orderExists = (q: Sql, id: number): boolean => !!q.get("SELECT 1 FROM pedidos WHERE id = ?", id);
