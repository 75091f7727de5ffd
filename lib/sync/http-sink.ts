import type { Db, Sql } from "../db/connection.ts";
import { toIsoUtc } from "../time.ts";
import { errorText, ORDER_EVENT_TYPES, type DeliveryContext, type DeliveryOutcome, type EventRef, type Sink } from "./events.ts";

/**
 * The HTTP push (the original's "VPS sync"): `POST <url>` with a JSON array, one element per order event,
 *   `[{pedido_id, numero, cliente_nome, status, valor_total, updated_at, deleted?, event_id}]`
 * `valor_total` a number, `updated_at` ISO UTC with `Z`, `deleted: true` for a deleted order. Headers `x-api-key`
 * (when set) and `Idempotency-Key` (the event id, or `first-last` for a batch). A 2xx acknowledges the whole
 * batch; anything else, a redirect, a network error or the timeout fails it.
 * Each element is the order as of its own event (from the event's payload), so a receiver that keeps, per
 * `pedido_id`, the element with the highest `event_id` is right whatever arrives twice or late.
 * Drafts are not sent (they are not orders yet); neither are events that are not order events.
 */
export interface HttpSinkOptions {
  url: string;
  key: string | null;
  timeoutMs: number;
  version: string;
}

export interface PushElement {
  pedido_id: number;
  numero: string | null;
  cliente_nome: string | null;
  status: string | null;
  valor_total: number;
  updated_at: string | null;
  deleted?: true;
  event_id: number;
}

/** How much of an error response is kept for `last_error`. */
const ERROR_BODY_CHARS = 300;

interface ElementRow {
  id: number;
  type: string;
  order_id: number | null;
  created_at: string;
  numero: string | null;
  cliente: string | null;
  status: string | null;
  valor_total: string | number | null;
  atualizado: string | null;
  rascunho: number | null;
  d_event: number | null;
  d_numero: string | null;
  d_cliente: string | null;
  d_status: string | null;
  d_total: number | null;
  d_rascunho: number | null;
}

const TYPES = ORDER_EVENT_TYPES.map((t) => `'${t}'`).join(", ");
const SNAPSHOT_TYPES = ORDER_EVENT_TYPES.filter((t) => t !== "order_deleted")
  .map((t) => `'${t}'`)
  .join(", ");

const money = (v: unknown): number => {
  const n = typeof v === "number" ? v : Number(String(v ?? "").replace(",", "."));
  return Number.isFinite(n) ? Math.round(n * 100) / 100 : 0;
};

/**
 * The push elements of the order events with ids in `[from, to]`, read from the log in SQL (json_extract: the
 * payloads are never parsed in JS). Drafts are left out.
 */
export function pushElements(q: Sql, from: number, to: number): PushElement[] {
  const rows = q.all<ElementRow>(
    `SELECT e.id, e.type, e.order_id, e.created_at,
       json_extract(e.payload, '$.order.numero') AS numero, json_extract(e.payload, '$.order.cliente') AS cliente,
       json_extract(e.payload, '$.order.status') AS status, json_extract(e.payload, '$.order.valor_total') AS valor_total,
       json_extract(e.payload, '$.order.ultima_atualizacao') AS atualizado, json_extract(e.payload, '$.order.rascunho') AS rascunho,
       d.event_id AS d_event, d.numero AS d_numero, d.cliente AS d_cliente, d.status AS d_status, d.valor_total_cents AS d_total,
       d.rascunho AS d_rascunho
     FROM event_log e LEFT JOIN sync_deleted_orders d ON d.event_id = e.id
     WHERE e.id BETWEEN ? AND ? AND e.type IN (${TYPES}) AND e.order_id IS NOT NULL ORDER BY e.id`,
    from,
    to,
  );
  const out: PushElement[] = [];
  for (const r of rows) {
    const orderId = r.order_id as number;
    if (r.type === "order_deleted") {
      // What the order was: recorded at the delete (sync_deleted_orders), or else its last snapshot in the log
      // (a delete committed by a process without the hook, e.g. before this version).
      const last = r.d_event === null ? lastSnapshot(q, orderId, r.id) : null;
      const draft = r.d_event !== null ? !!r.d_rascunho : !!last?.rascunho;
      if (draft) continue;
      out.push({
        pedido_id: orderId,
        numero: r.d_event !== null ? r.d_numero : (last?.numero ?? null),
        cliente_nome: r.d_event !== null ? r.d_cliente : (last?.cliente ?? null),
        status: r.d_event !== null ? r.d_status : (last?.status ?? null),
        valor_total: r.d_event !== null ? (r.d_total ?? 0) / 100 : money(last?.valor_total),
        // The time of the delete: a receiver comparing updated_at sees it as the newest change.
        updated_at: toIsoUtc(r.created_at),
        deleted: true,
        event_id: r.id,
      });
      continue;
    }
    if (r.rascunho) continue;
    out.push({
      pedido_id: orderId,
      numero: r.numero,
      cliente_nome: r.cliente,
      status: r.status,
      valor_total: money(r.valor_total),
      updated_at: toIsoUtc(r.atualizado) ?? toIsoUtc(r.created_at),
      event_id: r.id,
    });
  }
  return out;
}

function lastSnapshot(q: Sql, orderId: number, beforeId: number) {
  return q.get<{
    numero: string | null;
    cliente: string | null;
    status: string | null;
    valor_total: string | null;
    rascunho: number | null;
  }>(
    `SELECT json_extract(payload, '$.order.numero') AS numero, json_extract(payload, '$.order.cliente') AS cliente,
       json_extract(payload, '$.order.status') AS status, json_extract(payload, '$.order.valor_total') AS valor_total,
       json_extract(payload, '$.order.rascunho') AS rascunho
     FROM event_log WHERE order_id = ? AND id < ? AND type IN (${SNAPSHOT_TYPES}) ORDER BY id DESC LIMIT 1`,
    orderId,
    beforeId,
  );
}

/** At most `max` characters of a response body, without reading the rest (a receiver may answer anything). */
async function readCapped(res: Response, max: number): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    while (text.length < max) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return text.slice(0, max);
}

/**
 * POSTs `elements` and resolves only on a 2xx.
 * @throws Error naming the status (and the start of the body), the timeout, or the network error.
 */
export async function postElements(
  opts: HttpSinkOptions,
  elements: readonly PushElement[],
  idempotencyKey: string,
  signal: AbortSignal,
): Promise<void> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "idempotency-key": idempotencyKey,
    "user-agent": `sgp/${opts.version} (sync)`,
  };
  if (opts.key) headers["x-api-key"] = opts.key;
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  let res: Response;
  try {
    res = await fetch(opts.url, {
      method: "POST",
      headers,
      body: JSON.stringify(elements),
      signal: AbortSignal.any([signal, timeout]),
      // A redirect is not an acknowledgement (and a 302 would turn the POST into a GET).
      redirect: "manual",
    });
  } catch (err) {
    if (timeout.aborted) throw new Error(`tempo limite de ${opts.timeoutMs} ms esgotado`);
    throw new Error(`falha de rede: ${errorText(err)}`);
  }
  let body = "";
  try {
    // A small acknowledgement is read to its end so the connection can be reused; an error keeps its start.
    body = await readCapped(res, res.ok ? 65_536 : ERROR_BODY_CHARS);
  } catch (err) {
    if (timeout.aborted) throw new Error(`tempo limite de ${opts.timeoutMs} ms esgotado lendo a resposta`);
    // A 2xx whose body broke off still was an answer: the status line is the acknowledgement.
    if (!res.ok) throw new Error(`HTTP ${res.status} (resposta interrompida: ${errorText(err)})`);
  }
  if (res.status < 200 || res.status > 299) {
    const snippet = body.replace(/\s+/g, " ").trim();
    throw new Error(`HTTP ${res.status}${snippet ? `: ${snippet}` : ""}`);
  }
}

export function createHttpSink(db: Db, opts: HttpSinkOptions): Sink {
  return {
    name: "http",
    async deliver(events: readonly EventRef[], ctx: DeliveryContext): Promise<DeliveryOutcome> {
      if (events.length === 0) return { delivered: 0, skipped: 0 };
      const elements = await db.read((q) => pushElements(q, events[0].id, events[events.length - 1].id));
      if (elements.length === 0) return { delivered: 0, skipped: events.length };
      const first = elements[0].event_id;
      const last = elements[elements.length - 1].event_id;
      await postElements(opts, elements, first === last ? String(first) : `${first}-${last}`, ctx.signal);
      return { delivered: elements.length, skipped: events.length - elements.length };
    },
    async close() {},
  };
}
