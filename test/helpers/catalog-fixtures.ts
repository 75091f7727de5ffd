import type { Db } from "../../lib/db/connection.ts";

let seq = 0;

/**
 * Writes an order and its items straight into the tables, for tests of catalog screens that must not depend on
 * the orders API (another module). Indexed item columns are filled from the item as lib/orders does.
 */
export function insertFixtureOrder(
  db: Db,
  order: {
    status?: string;
    data_entrada?: string;
    data_entrega?: string | null;
    prioridade?: string;
    cliente?: string;
    rascunho?: boolean;
    legacyIds?: boolean;
  },
  items: Record<string, unknown>[],
): { orderId: number; itemIds: number[] } {
  return db.writeSync((tx) => {
    const orderId = tx.run(
      "INSERT INTO pedidos (numero, data_entrada, data_entrega, cliente, status, prioridade, rascunho) VALUES (?, ?, ?, ?, ?, ?, ?)",
      `FX${++seq}-${Date.now()}`,
      order.data_entrada ?? "2026-11-20",
      order.data_entrega ?? null,
      order.cliente ?? "Cliente Teste",
      order.status ?? "pendente",
      order.prioridade ?? "NORMAL",
      order.rascunho ? 1 : 0,
    ).lastInsertRowid;
    const itemIds = items.map(
      (item, i) =>
        tx.run(
          "INSERT INTO pedido_itens (pedido_id, posicao, legacy_id, tipo_producao, designer, vendedor, tecido, machine_id, status_arte, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          orderId,
          i,
          order.legacyIds ? orderId * 1000 + i : null,
          (item.tipo_producao as string) ?? null,
          (item.designer as string) ?? null,
          (item.vendedor as string) ?? null,
          (item.tecido as string) ?? null,
          (item.machine_id as number) ?? null,
          (item.status_arte as string) ?? "aguardando",
          JSON.stringify(item),
        ).lastInsertRowid,
    );
    return { orderId, itemIds };
  });
}
