import type { Migration } from "../migrate.ts";
import { storedItemData } from "../../orders/wire.ts";

/**
 * Orders: item data rewritten once into its stored form (every declared field present, defaults first), so the
 * order list can splice the stored JSON into its response instead of parsing every item (lib/orders/wire.ts).
 * Values are not changed; only missing declared keys are added. Unreadable JSON is left as it is (and logged).
 */
export const orders: Migration = {
  id: 3,
  name: "orders",
  up(q, { log }) {
    let rewritten = 0;
    let unreadable = 0;
    for (const r of q.all<{ id: number; data: string }>("SELECT id, data FROM pedido_itens")) {
      let data: unknown;
      try {
        data = JSON.parse(r.data);
      } catch {
        unreadable++;
        continue;
      }
      if (!data || typeof data !== "object" || Array.isArray(data)) {
        unreadable++;
        continue;
      }
      const { id: _id, ...rest } = data as Record<string, unknown>;
      const text = JSON.stringify(storedItemData(rest));
      if (text !== r.data) {
        q.run("UPDATE pedido_itens SET data = ? WHERE id = ?", text, r.id);
        rewritten++;
      }
    }
    if (rewritten || unreadable) log.info({ rewritten, unreadable }, "order items normalised to their stored form");
  },
};
