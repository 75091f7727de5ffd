import type { Param, Sql } from "../db/connection.ts";
import { foldText, likeEscape } from "../text.ts";
import type { Selection } from "./filters.ts";

/**
 * The WHERE clause of an order selection over `pedidos p` (drafts never count).
 *
 * Index use (dates are `YYYY-MM-DD` text since migration 001, so inclusive text bounds are exact):
 * - `entrada`: `ix_pedidos_data_entrada` range scan;
 * - `entrega`: `ix_pedidos_data_entrega` range scan (orders without a due date fall out of any range);
 * - `qualquer`: SQLite's OR optimisation, one range scan per index, row ids merged;
 * - no bounds: the whole table (a whole-history aggregate reads every order once, in one statement).
 * The customer filter is a LIKE on the folded `cliente_busca` (the same folding as `GET /pedidos/?cliente=`),
 * applied to the rows the date range selected.
 */
export function selectionWhere(s: Selection): { sql: string; params: Param[] } {
  const where = ["p.rascunho = 0"];
  const params: Param[] = [];
  if (s.from || s.to) {
    const range = (col: string) => {
      const parts: string[] = [];
      if (s.from) {
        parts.push(`${col} >= ?`);
        params.push(s.from);
      }
      if (s.to) {
        parts.push(`${col} <= ?`);
        params.push(s.to);
      }
      return parts.join(" AND ");
    };
    if (s.mode === "entrada") where.push(range("p.data_entrada"));
    else if (s.mode === "entrega") where.push(range("p.data_entrega"));
    else where.push(`((${range("p.data_entrada")}) OR (${range("p.data_entrega")}))`);
  }
  if (s.statuses) {
    where.push(`p.status IN (${s.statuses.map(() => "?").join(", ")})`);
    params.push(...s.statuses);
  }
  if (s.cliente) {
    where.push("p.cliente_busca LIKE ? ESCAPE '\\'");
    params.push(`%${likeEscape(s.cliente)}%`);
  }
  return { sql: where.join(" AND "), params };
}

/**
 * The date an order counts under in `s` (trends bucket by it): the mode's own date; under `qualquer`, the entry
 * date when it is in range, else the due date.
 */
export function selectionDateSql(s: Selection): { sql: string; params: Param[] } {
  if (s.mode === "entrada") return { sql: "p.data_entrada", params: [] };
  if (s.mode === "entrega") return { sql: "p.data_entrega", params: [] };
  const conds: string[] = [];
  const params: Param[] = [];
  if (s.from) {
    conds.push("p.data_entrada >= ?");
    params.push(s.from);
  }
  if (s.to) {
    conds.push("p.data_entrada <= ?");
    params.push(s.to);
  }
  if (!conds.length) return { sql: "p.data_entrada", params: [] };
  return { sql: `CASE WHEN ${conds.join(" AND ")} THEN p.data_entrada ELSE p.data_entrega END`, params };
}

/**
 * The stored spellings in an item column whose folded form contains `term` (`"Ána"`, `" ANA"` for `ana`), so a
 * folded substring filter becomes an `IN (...)` SQL can run. note: SQLite's lower() is ASCII-only, so folding
 * happens here, over the column's distinct values (a few hundred names, not the items).
 */
export function spellingsContaining(q: Sql, column: "vendedor" | "designer", term: string): string[] {
  return q
    .all<{ v: string }>(`SELECT DISTINCT ${column} AS v FROM pedido_itens WHERE ${column} IS NOT NULL`)
    .map((r) => r.v)
    .filter((v) => foldText(v).includes(term));
}
