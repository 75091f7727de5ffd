import type { Param, Sql } from "../db/connection.ts";
import { formatCents } from "../money.ts";
import { memoFold, type Category, type GroupBy, type Selection } from "./filters.ts";
import { eachReportOrder } from "./orders.ts";
import { selectionDateSql, selectionWhere, spellingsContaining } from "./selection.ts";

/**
 * The closing analytics (`/relatorios-fechamentos/pedidos/…` and `/relatorios/fechamentos/…`; spec §1, §2).
 * Counts and money sums are SQL aggregates over the selection's index range; rankings make one pass over the
 * selected items. Money is integer cents inside and `"1234.56"` on the wire.
 */

/** `quantidade`: orders in the selection. */
export function countSelection(q: Sql, s: Selection): number {
  const w = selectionWhere(s);
  return q.get<{ n: number }>(`SELECT COUNT(*) AS n FROM pedidos p WHERE ${w.sql}`, ...w.params)!.n;
}

/** `por-status`: orders per status, the largest count first. */
export function countByStatus(q: Sql, s: Selection): { status: string; total: number }[] {
  const w = selectionWhere(s);
  return q.all<{ status: string; total: number }>(
    `SELECT p.status AS status, COUNT(*) AS total FROM pedidos p WHERE ${w.sql} GROUP BY p.status ORDER BY total DESC, status`,
    ...w.params,
  );
}

/** Folded-substring item filters (`vendedor`, `designer`) as SQL over `p`: orders with at least one matching item. */
export function itemFilterSql(
  q: Sql,
  f: { vendedor: string | null; designer: string | null },
): { sql: string; params: Param[] } | undefined {
  const conds: string[] = [];
  const params: Param[] = [];
  for (const col of ["vendedor", "designer"] as const) {
    const term = f[col];
    if (!term) continue;
    const names = spellingsContaining(q, col, term);
    if (names.length === 0) return { sql: "0", params: [] };
    conds.push(`i.${col} IN (${names.map(() => "?").join(", ")})`);
    params.push(...names);
  }
  if (!conds.length) return undefined;
  // One item must match both (the original filtered items by both names, then kept orders with items left).
  // note: a non-correlated `IN`, built once; a correlated EXISTS let SQLite drive it by the designer index and
  // rescan that name's items for every order of the period (seconds on a year of orders).
  return { sql: `p.id IN (SELECT i.pedido_id FROM pedido_itens i WHERE ${conds.join(" AND ")})`, params };
}

/**
 * `valor-total`: orders and Σ `valor_total` of the selection; with `vendedor`/`designer`, only orders holding a
 * matching item count (their whole total).
 */
export function totalValue(
  q: Sql,
  s: Selection,
  f: { vendedor: string | null; designer: string | null },
): { total_pedidos: number; valor_total: string } {
  const w = selectionWhere(s);
  const extra = itemFilterSql(q, f);
  const r = q.get<{ n: number; v: number | null }>(
    `SELECT COUNT(*) AS n, SUM(p.valor_total_cents) AS v FROM pedidos p WHERE ${w.sql}${extra ? ` AND ${extra.sql}` : ""}`,
    ...w.params,
    ...(extra?.params ?? []),
  )!;
  return { total_pedidos: r.n, valor_total: formatCents(r.v ?? 0) };
}

export interface TrendItem {
  period: string;
  pedidos: number;
  revenue: string;
  frete: string;
  servico: string;
}

/**
 * `tendencia` / `trends`: orders, revenue (Σ `valor_total`), freight and services (revenue − freight) per day,
 * week (the Monday's date) or month (`YYYY-MM`), oldest first, by the date the selection counts orders under.
 * One GROUP BY over the index range; orders without that date (no due date in `entrega` mode) are left out.
 */
export function trend(q: Sql, s: Selection, groupBy: GroupBy): TrendItem[] {
  const w = selectionWhere(s);
  const d = selectionDateSql(s);
  // `weekday 0` moves to the coming Sunday (the same day on a Sunday); 6 days back is that week's Monday.
  const period = groupBy === "day" ? "date(d)" : groupBy === "week" ? "date(d, 'weekday 0', '-6 days')" : "strftime('%Y-%m', d)";
  const rows = q.all<{ period: string; n: number; t: number; f: number }>(
    `SELECT ${period} AS period, COUNT(*) AS n, SUM(t) AS t, SUM(f) AS f
     FROM (SELECT ${d.sql} AS d, p.valor_total_cents AS t, p.valor_frete_cents AS f FROM pedidos p WHERE ${w.sql})
     WHERE period IS NOT NULL GROUP BY period ORDER BY period`,
    ...d.params,
    ...w.params,
  );
  return rows.map((r) => ({
    period: r.period,
    pedidos: r.n,
    revenue: formatCents(r.t),
    frete: formatCents(r.f),
    servico: formatCents(r.t - r.f),
  }));
}

export interface RankingEntry {
  name: string;
  pedidos: number;
  items: number;
  revenue: string;
}

const EMPTY_NAME: Record<Category, string> = {
  cliente: "Sem cliente",
  vendedor: "Sem vendedor",
  designer: "Sem designer",
  tipo_producao: "Sem tipo",
};

/**
 * `por-cliente` / `por-vendedor` / `por-designer` / `por-tipo-producao` and `rankings/{category}`: per name,
 * distinct orders, Σ pieces and Σ item values (the report's adjusted values), the largest revenue first.
 * Names are grouped folded (case, accents, spaces), shown as first met.
 */
export function ranking(q: Sql, s: Selection, category: Category, limit: number): RankingEntry[] {
  const groups = new Map<string, { name: string; orders: Set<number>; items: number; cents: number }>();
  const fold = memoFold();
  eachReportOrder(q, s, {}, (o) => {
    for (const it of o.items) {
      const raw =
        category === "cliente"
          ? o.cliente
          : category === "vendedor"
            ? it.vendedor
            : category === "designer"
              ? it.designer
              : it.tipoProducao;
      const name = raw || EMPTY_NAME[category];
      const key = fold(name);
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { name, orders: new Set(), items: 0, cents: 0 }));
      g.orders.add(o.id);
      g.items += it.pieces;
      g.cents += it.valueCents;
    }
  });
  return [...groups.values()]
    .sort((a, b) => b.cents - a.cents || b.orders.size - a.orders.size || a.name.localeCompare(b.name, "pt-BR"))
    .slice(0, limit)
    .map((g) => ({ name: g.name, pedidos: g.orders.size, items: g.items, revenue: formatCents(g.cents) }));
}

export interface Statistics {
  total_pedidos: number;
  total_items: number;
  total_revenue: string;
  total_frete: string;
  total_servico: string;
  average_ticket: string;
}

/** Half-up integer division of cents (the average ticket). */
const divRound = (a: number, b: number) => (b > 0 ? Math.floor((2 * a + b) / (2 * b)) : 0);

/**
 * `/relatorios/fechamentos/statistics`: orders, items, revenue (Σ `valor_total`), freight and services of the
 * selection, and the average ticket (revenue ÷ orders). Without `vendedor`/`designer` it is one SQL aggregate
 * (services = revenue − freight, what the items add up to). With them, only orders holding a matching item
 * count, and items and services are those matching items only.
 */
export function statistics(q: Sql, s: Selection, f: { vendedor: string | null; designer: string | null }): Statistics {
  let pedidos = 0;
  let items = 0;
  let revenue = 0;
  let frete = 0;
  let servico = 0;
  if (!f.vendedor && !f.designer) {
    const w = selectionWhere(s);
    const r = q.get<{ n: number; t: number | null; f: number | null; i: number | null }>(
      `SELECT COUNT(*) AS n, SUM(p.valor_total_cents) AS t, SUM(p.valor_frete_cents) AS f,
         SUM((SELECT COUNT(*) FROM pedido_itens i WHERE i.pedido_id = p.id)) AS i
       FROM pedidos p WHERE ${w.sql}`,
      ...w.params,
    )!;
    pedidos = r.n;
    items = r.i ?? 0;
    revenue = r.t ?? 0;
    frete = r.f ?? 0;
    servico = revenue - frete;
  } else {
    const extra = itemFilterSql(q, f);
    const matches = itemMatcher(f);
    eachReportOrder(q, s, { extra }, (o) => {
      const matching = o.items.filter(matches);
      if (!matching.length) return;
      pedidos++;
      items += matching.length;
      revenue += o.totalCents;
      frete += o.freteCents;
      for (const it of matching) servico += it.valueCents;
    });
  }
  return {
    total_pedidos: pedidos,
    total_items: items,
    total_revenue: formatCents(revenue),
    total_frete: formatCents(frete),
    total_servico: formatCents(servico),
    average_ticket: formatCents(divRound(revenue, pedidos)),
  };
}

/** For one request: true when an item's vendedor and designer contain the folded filters. */
export function itemMatcher(f: {
  vendedor: string | null;
  designer: string | null;
}): (it: { vendedor: string; designer: string }) => boolean {
  const fold = memoFold();
  return (it) => (!f.vendedor || fold(it.vendedor).includes(f.vendedor)) && (!f.designer || fold(it.designer).includes(f.designer));
}
