import type { Sql } from "../db/connection.ts";
import { notFound } from "../errors.ts";
import { getOrder } from "../orders/read.ts";
import { toIsoUtc } from "../time.ts";
import { diffOrders, diffRecord, type Change } from "./diff.ts";

/**
 * An order's history, computed from the events its writes already commit (`event_log`, each order event carrying
 * the order as committed): never a second write path. One entry per write: the events a transaction logged for
 * the order (`order_updated` + `order_status_updated`, say) share its write id (`COALESCE(write_id, id)`,
 * migration 012) and make one entry, whose changes are the difference between the order after the previous write
 * and after this one, plus the print logs and reposições the write recorded.
 */

export type { Change } from "./diff.ts";

/** One write in an order's life (`GET /pedidos/{id}/historico`). */
export interface HistoryEntry {
  /** The id of the write's first event for this order: the cursor for `before`. 0 for a synthesized `migrated`. */
  event_id: number;
  /** `order_created`, `order_updated`, `order_status_updated`, `order_deleted`, `print_log_created` or `migrated`. */
  type: string;
  at: string;
  user_id: number | null;
  username: string | null;
  changes: Change[];
}

export interface HistoryPage {
  /** Entries per page; at most `HISTORY_MAX_LIMIT`. */
  limit: number;
  /** Only entries whose `event_id` is below this (the first `event_id` of the page already shown). */
  before?: number;
  /** Snapshot text the page may read before it ends early (default `PAGE_BYTES`). */
  maxBytes?: number;
}

export const HISTORY_DEFAULT_LIMIT = 100;
export const HISTORY_MAX_LIMIT = 500;

/** Events that carry the order as committed (`payload.order`). */
const SNAPSHOT_TYPES = ["order_created", "order_updated", "order_status_updated", "migrated"];
const HISTORY_TYPES = [...SNAPSHOT_TYPES, "order_deleted", "print_log_created"];
const inList = (types: string[]) => types.map((t) => `'${t}'`).join(", ");

// note: every read here is one order's events by id, on `ix_event_log_order` (order_id, then rowid); `+type`
// keeps the planner off `ix_event_log_type`, which would walk that type's events of every order.
// An `order_status_updated` always carries the same order as the `order_updated` of its write: its payload is
// not read (a third of the bytes), unless it is alone in its write.
const SELECT = `SELECT id, type, CASE WHEN type = 'order_status_updated' THEN NULL ELSE payload END AS payload, actor_id,
  actor_name, created_at, COALESCE(write_id, id) AS w FROM event_log WHERE order_id = ? AND +type IN (${inList(HISTORY_TYPES)})`;

/** An entry's type: the most telling of its events' types. */
const TYPE_RANK = ["order_created", "migrated", "order_deleted", "order_status_updated", "print_log_created", "order_updated"];

/** The print-log fields an entry shows (not the order's and item's, which the order diff covers). */
const PRINT_LOG_FIELDS = ["printer_id", "printer_name", "item_id", "item_descricao", "status", "error_message"];

type Obj = Record<string, unknown>;

interface LogRow {
  id: number;
  type: string;
  payload: string | null;
  actor_id: number | null;
  actor_name: string | null;
  created_at: string;
  w: number;
}

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

function parse(row: { payload: string | null }): Obj {
  try {
    const p = JSON.parse(row.payload ?? "{}") as unknown;
    return isObj(p) ? p : {};
  } catch {
    return {}; // a damaged payload shows as no change rather than failing the whole history
  }
}

const orderOf = (payload: Obj): Obj | null => (isObj(payload.order) ? payload.order : null);

/**
 * Snapshot text one page reads at most (a few typical orders' whole histories): past it the page ends early, so
 * an order with huge snapshots cannot hold the event loop for long. Only an empty page proves the start.
 */
const PAGE_BYTES = 32 * 1024 * 1024;

/**
 * The page's writes, oldest first (each its rows oldest first), and whether older writes exist.
 * Reads the log newest first in chunks and stops at the first row of the write after the page, whatever the
 * order's length, or earlier once the page has read `PAGE_BYTES` of snapshots.
 */
function pageGroups(q: Sql, orderId: number, page: HistoryPage): { groups: LogRow[][]; more: boolean } {
  const desc: LogRow[][] = []; // writes newest first, each its rows newest first
  const chunk = Math.min(2 * page.limit + 2, 1_000);
  let cursor = page.before ?? Number.MAX_SAFE_INTEGER;
  let bytes = 0;
  let more = false;
  read: for (;;) {
    const rows = q.all<LogRow>(`${SELECT} AND id < ? ORDER BY id DESC LIMIT ?`, orderId, cursor, chunk);
    for (const r of rows) {
      const current = desc[desc.length - 1];
      if (current && current[0].w === r.w) current.push(r);
      else if (desc.length === page.limit || (desc.length > 0 && bytes > (page.maxBytes ?? PAGE_BYTES))) {
        more = true;
        break read;
      } else desc.push([r]);
      bytes += r.payload?.length ?? 0;
    }
    if (rows.length < chunk) break;
    cursor = rows[rows.length - 1].id;
  }
  // A `before` that is not an entry's event_id may cut through a write: the entry keeps all its events.
  if (page.before !== undefined && desc.length) {
    const newest = desc[0];
    const rest = q.all<LogRow>(`${SELECT} AND id >= ? ORDER BY id LIMIT 16`, orderId, page.before);
    for (const r of rest) {
      if (r.w !== newest[0].w) break;
      newest.unshift(r);
    }
  }
  return { groups: desc.reverse().map((g) => g.reverse()), more };
}

/** The order as the last write before event `id` left it (null: none did). */
function snapshotBefore(q: Sql, orderId: number, id: number): Obj | null {
  const row = q.get<{ payload: string }>(
    `SELECT payload FROM event_log WHERE order_id = ? AND id < ? AND +type IN (${inList(SNAPSHOT_TYPES)}) ORDER BY id DESC LIMIT 1`,
    orderId,
    id,
  );
  return row ? orderOf(parse(row)) : null;
}

/** The state a print log or a reposição had after the last write before event `id` that logged it. */
function recordBefore(q: Sql, orderId: number, id: number, kind: "print_log" | "reposicao", recordId: unknown): Obj | null {
  const row =
    kind === "print_log"
      ? q.get<{ payload: string }>(
          `SELECT payload FROM event_log WHERE order_id = ? AND id < ? AND +type = 'print_log_created'
           AND json_extract(payload, '$.print_log.id') = ? ORDER BY id DESC LIMIT 1`,
          orderId,
          id,
          recordId as number,
        )
      : q.get<{ payload: string }>(
          // instr() first: a cheap scan that spares parsing the order events that logged no reposição
          `SELECT payload FROM event_log WHERE order_id = ? AND id < ? AND +type = 'order_updated'
           AND instr(payload, '"reposicao_acao"') > 0 AND json_extract(payload, '$.reposicao.id') = ? ORDER BY id DESC LIMIT 1`,
          orderId,
          id,
          recordId as number,
        );
  const found = row ? parse(row)[kind] : null;
  return isObj(found) ? found : null;
}

/**
 * The snapshot a write (rows oldest first) left the order in: its last snapshot event's, preferring one whose
 * payload was read (an `order_status_updated` repeats the `order_updated` just before it).
 */
function lastSnapshot(rows: LogRow[]): LogRow | undefined {
  let found: LogRow | undefined;
  for (const r of rows) {
    if (!SNAPSHOT_TYPES.includes(r.type)) continue;
    if (r.payload !== null || !found || found.payload === null) found = r;
  }
  return found;
}

/** The row with its payload, read now if the page query skipped it. */
function withPayload(q: Sql, row: LogRow): { payload: string | null } {
  return row.payload !== null
    ? row
    : (q.get<{ payload: string }>("SELECT payload FROM event_log WHERE id = ?", row.id) ?? { payload: null });
}

/**
 * Reads the orders of consecutive snapshots, parsing an order's items only when their JSON text differs from the
 * previous snapshot's (most writes leave the items alone, and they are most of a snapshot's bytes): unchanged
 * items reuse the same parsed list, which the diff then skips at once. Falls back to parsing the whole payload
 * whenever the text is not shaped as expected.
 */
class SnapshotReader {
  private itemsText: string | null = null;
  private items: unknown = null;

  order(row: { payload: string | null }): Obj | null {
    const text = row.payload ?? "";
    const split = splitItems(text);
    if (split) {
      try {
        const payload = JSON.parse(split.rest) as Obj;
        const order = orderOf(payload);
        // The placeholder must be where the order's items were; anything else is a misread: parse it all.
        if (order && order.items === null) {
          if (split.items !== this.itemsText) {
            this.items = JSON.parse(split.items) as unknown;
            this.itemsText = split.items;
          }
          order.items = this.items;
          return order;
        }
      } catch {
        // not the expected shape: parsed whole below
      }
    }
    return orderOf(parse(row));
  }
}

/**
 * Splits a payload `{"type":…,"order":{<scalar fields>,"items":[…],"data_criacao":…},…}` (the wire order's key
 * order) into the items' JSON text and the rest with `null` in their place. The order's fields before `items` are
 * scalars, and a quote inside a string value is escaped, so the first `"items":[` after `"order":{` is its key,
 * and the first `],"data_criacao":` after it ends the list unless an item has such a key of its own: then the
 * rest is not valid JSON (or not shaped as expected) and the caller parses the whole payload instead.
 * Native string searches only: a character loop in JS would cost what it saves.
 */
export function splitItems(text: string): { items: string; rest: string } | null {
  const at = text.indexOf('"order":{');
  const key = at < 0 ? -1 : text.indexOf('"items":[', at);
  const end = key < 0 ? -1 : text.indexOf('],"data_criacao":', key);
  if (end < 0) return null;
  const start = key + 8;
  return { items: text.slice(start, end + 1), rest: `${text.slice(0, start)}null${text.slice(end + 1)}` };
}

const pick = (o: Obj, keys: string[]): Obj => Object.fromEntries(keys.filter((k) => k in o).map((k) => [k, o[k]]));

/**
 * The history of order `orderId`, oldest entry first, one page: the `limit` most recent writes before
 * `before` (all of them when it has fewer). Answers a deleted order (ending with `order_deleted`) only to an
 * admin; 404 for an order that never existed, or that is gone and the viewer is not an admin.
 * An order with no event at all (taken over from the original after migration 012 ran) gets one synthesized
 * `migrated` entry from its row.
 */
export function orderHistory(q: Sql, orderId: number, page: HistoryPage, viewer: { isAdmin: boolean }): HistoryEntry[] {
  const exists = !!q.get("SELECT 1 AS x FROM pedidos WHERE id = ?", orderId);
  if (!exists && !viewer.isAdmin) throw notFound("Pedido não encontrado");
  const { groups, more } = pageGroups(q, orderId, page);
  if (groups.length === 0) {
    if (!exists) throw notFound("Pedido não encontrado");
    const hasEvents = !!q.get(`SELECT 1 AS x FROM event_log WHERE order_id = ? AND +type IN (${inList(HISTORY_TYPES)}) LIMIT 1`, orderId);
    if (hasEvents || (page.before !== undefined && page.before <= 0)) return [];
    const order = getOrder(q, orderId)!;
    return [
      {
        event_id: 0,
        type: "migrated",
        at: toIsoUtc(order.data_criacao) ?? toIsoUtc(order.data_entrada) ?? "",
        user_id: null,
        username: null,
        changes: diffOrders(null, order as unknown as Obj),
      },
    ];
  }

  // The state the page starts from: the order as the last write before it left it (none: the page starts the
  // order's history).
  const snapshots = new SnapshotReader();
  let state: Obj | null = more ? snapshotBefore(q, orderId, groups[0][0].id) : null;
  const printLogs = new Map<string, Obj>();
  const reposicoes = new Map<string, Obj>();

  return groups.map((rows) => {
    const first = rows[0];
    const changes: Change[] = [];
    const lastSnap = lastSnapshot(rows);
    if (lastSnap) {
      const order = snapshots.order(withPayload(q, lastSnap));
      if (order) {
        changes.push(...diffOrders(state, order));
        state = order;
      }
    }
    for (const r of rows) {
      if (r.type === "print_log_created") {
        const log = parse(r).print_log;
        if (!isObj(log)) continue;
        const key = String(log.id);
        const prev = printLogs.get(key) ?? recordBefore(q, orderId, first.id, "print_log", log.id);
        const next = pick(log, PRINT_LOG_FIELDS);
        diffRecord(`print_logs[${key}]`, prev && pick(prev, PRINT_LOG_FIELDS), next, changes);
        printLogs.set(key, next);
      } else if (r.type === "order_updated" && r.payload?.includes('"reposicao_acao"')) {
        const p = parse(r);
        if (!isObj(p.reposicao)) continue;
        const key = String(p.reposicao.id ?? "");
        if (p.reposicao_acao === "criada") diffRecord(`reposicoes[${key}]`, null, p.reposicao, changes);
        else if (p.reposicao_acao === "excluida") diffRecord(`reposicoes[${key}]`, reposicoes.get(key) ?? p.reposicao, null, changes);
        else
          diffRecord(
            `reposicoes[${key}]`,
            reposicoes.get(key) ?? recordBefore(q, orderId, first.id, "reposicao", p.reposicao.id),
            p.reposicao,
            changes,
          );
        reposicoes.set(key, p.reposicao);
      }
    }
    const types = new Set(rows.map((r) => r.type));
    return {
      event_id: first.id,
      type: TYPE_RANK.find((t) => types.has(t)) ?? first.type,
      at: first.created_at,
      user_id: first.actor_id,
      username: first.actor_name,
      changes,
    };
  });
}
