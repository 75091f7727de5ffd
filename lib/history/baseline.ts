import type { Sql } from "../db/connection.ts";
import { ordersWhere } from "../orders/read.ts";
import { nowIso } from "../time.ts";

/** Orders read and logged per statement batch (each snapshot holds the whole order with its items). */
const BATCH = 500;

/**
 * Logs a `migrated` event (`{type, order, order_id}`, no actor) for every order that has no event at all: the
 * orders of a database taken over from the original system. The event holds the order as it is now, so its
 * history starts from what was migrated and the first later write diffs against it.
 * Rows are inserted directly, not through `tx.emit`: a baseline is no change, so the in-transaction order hooks
 * (stock, …) must not run for it, and it runs before the server listens (migration 012), so no peer is live.
 * Anything that imports orders into a running database (a later legacy import) calls it in its own transaction.
 * @returns how many orders got their baseline.
 */
export function logMigratedBaselines(q: Sql): number {
  const at = nowIso();
  let count = 0;
  let after = 0;
  for (;;) {
    const orders = ordersWhere(
      q,
      "id > ? AND NOT EXISTS (SELECT 1 FROM event_log e WHERE e.order_id = pedidos.id)",
      [after],
      "id ASC",
      BATCH,
    );
    for (const order of orders) {
      q.run(
        "INSERT INTO event_log (type, order_id, payload, actor_id, actor_name, created_at) VALUES ('migrated', ?, ?, NULL, NULL, ?)",
        order.id,
        JSON.stringify({ type: "migrated", order, order_id: order.id }),
        at,
      );
    }
    count += orders.length;
    if (orders.length < BATCH) return count;
    after = orders[orders.length - 1].id;
  }
}
