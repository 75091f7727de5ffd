import { columnsOf, type Migration } from "../migrate.ts";
import { logMigratedBaselines } from "../../history/baseline.ts";

/**
 * Order history (`GET /pedidos/{id}/historico`, lib/history):
 * - `event_log.write_id`: which write (transaction) an event belongs to, so the history shows one entry per write
 *   (a PATCH that changes the status commits `order_updated` + `order_status_updated`). `tx.emit` sets it to the id
 *   of the transaction's first event, and leaves it NULL on that first event: the write of a row is
 *   `COALESCE(write_id, id)`. Rows logged before this migration are grouped once here: an `order_status_updated`
 *   always directly follows the `order_updated` of the same order, actor and write (lib/orders/write.ts).
 * - a `migrated` baseline event for every order without any event (the original's orders): their history then
 *   starts with the order as it was taken over, and later writes diff against it.
 */
export const history: Migration = {
  id: 12,
  name: "history",
  up(q, { log }) {
    if (!columnsOf(q, "event_log").includes("write_id")) q.run("ALTER TABLE event_log ADD COLUMN write_id INTEGER");
    const grouped = q.run(
      `UPDATE event_log SET write_id = id - 1
       WHERE type = 'order_status_updated' AND EXISTS (
         SELECT 1 FROM event_log p WHERE p.id = event_log.id - 1 AND p.type = 'order_updated'
           AND p.order_id IS event_log.order_id AND p.actor_id IS event_log.actor_id)`,
    ).changes;
    const baselines = logMigratedBaselines(q);
    if (grouped || baselines) log.info({ grouped, baselines }, "order history: past events grouped by write, migrated orders logged");
  },
};
