import type { Migration } from "../migrate.ts";
import { createOrderJsonSchema, fillAllOrderJson } from "../../orders/stored.ts";

/**
 * Orders: the stored wire JSON of every order (`pedido_json`, lib/orders/stored.ts), filled here for the orders
 * that exist (those taken over from the original included: migration 001 imported them as rows), with the triggers
 * that keep it in step and the `pedidos_versao` change counter; and the indexes the order list sorts by (the
 * client's polls read the first 501 of 10,000 orders in the viewer's order without sorting the table).
 * note: the ORDER BY texts of `lib/orders/read.ts` must match these index expressions for SQLite to use them.
 */
export const orderJson: Migration = {
  id: 11,
  name: "order_json",
  up(q, { log }) {
    createOrderJsonSchema(q);
    q.run("CREATE INDEX IF NOT EXISTS ix_pedidos_lista ON pedidos(rascunho, data_criacao DESC, id DESC)");
    q.run("CREATE INDEX IF NOT EXISTS ix_pedidos_lista_admin ON pedidos(rascunho, financeiro, (prioridade = 'ALTA') DESC, id DESC)");
    q.run("CREATE INDEX IF NOT EXISTS ix_pedidos_lista_impressao ON pedidos(rascunho, sublimacao, (prioridade = 'ALTA') DESC, id DESC)");
    const filled = fillAllOrderJson(q);
    if (filled) log.info({ orders: filled }, "stored order JSON filled");
  },
};
