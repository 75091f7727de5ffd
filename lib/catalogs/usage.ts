import type { Sql } from "../db/connection.ts";
import { foldText } from "../text.ts";

/**
 * "Is this catalog entry still referred to?" checks. Orders refer to catalogs by name (free text, any case or
 * accents), so names are compared folded; SQLite's lower() is ASCII-only, hence the folding in code over the
 * distinct stored values (a small set, read through the column's index where there is one).
 */

type NameColumn =
  | { table: "pedidos"; column: "tipo_pagamento" | "forma_envio" | "sublimacao_maquina" }
  | { table: "pedido_itens"; column: "designer" | "vendedor" | "tecido" | "tipo_producao" };

/** How many orders hold `name` (folded) in the given column. */
export function ordersUsingName(q: Sql, ref: NameColumn, name: unknown): number {
  const wanted = foldText(name);
  if (!wanted) return 0;
  const orderId = ref.table === "pedidos" ? "id" : "pedido_id";
  const rows = q.all<{ v: string; n: number }>(
    `SELECT ${ref.column} AS v, COUNT(DISTINCT ${orderId}) AS n FROM ${ref.table} WHERE ${ref.column} IS NOT NULL AND ${ref.column} != '' GROUP BY ${ref.column}`,
  );
  let total = 0;
  for (const r of rows) if (foldText(r.v) === wanted) total += Number(r.n);
  return total;
}

/** How many orders have an item printed on machine `id`. */
export const ordersUsingMachine = (q: Sql, id: number): number =>
  Number(q.get<{ n: number }>("SELECT COUNT(DISTINCT pedido_id) AS n FROM pedido_itens WHERE machine_id = ?", id)?.n ?? 0);

/** How many orders point at shipping method `id` through `forma_envio_id`. */
export const ordersUsingShipping = (q: Sql, id: number): number =>
  Number(q.get<{ n: number }>("SELECT COUNT(*) AS n FROM pedidos WHERE forma_envio_id = ?", id)?.n ?? 0);

/** How many print logs a machine has (deleting the machine would cascade them away). */
export const printLogsOfMachine = (q: Sql, id: number): number =>
  Number(q.get<{ n: number }>("SELECT COUNT(*) AS n FROM print_logs WHERE printer_id = ?", id)?.n ?? 0);

/** The 409 detail: who still uses the entry, and what to do instead. */
export const inUseMessage = (what: string, orders: number, extra = ""): string =>
  `${what} em uso por ${orders} pedido(s)${extra}: desative em vez de excluir.`;
