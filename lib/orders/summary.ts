import type { Sql } from "../db/connection.ts";
import { addDays, localDate, localDayStartIso, nowIso } from "../time.ts";
import { ordersWhere } from "./read.ts";
import { ORDER_STATUSES } from "./status.ts";
import type { PedidoResponse } from "./wire.ts";

/**
 * `GET /pedidos/summary`: the dashboard figures of the original (`original-api.md` §3.5 #9), over real orders
 * (drafts excluded), with "today" the shop's local day (the original used UTC's). Dates are `YYYY-MM-DD` since migration.
 * Fixed on purpose: one count per status (no legacy spellings overwriting each other), and the efficiency rate
 * divides by the completed orders that HAVE a due date (the others cannot be on time or late).
 */
export interface DashboardSummary {
  total: number;
  pendentes: number;
  em_producao: number;
  concluidos: number;
  concluidos_hoje: number;
  atrasados: number;
  urgentes: number;
  hoje: number;
  efficiency_rate: number;
  avg_production_time: number;
  avg_delay_time: number;
  production_efficiency: Record<"financeiro" | "conferencia" | "sublimacao" | "costura" | "expedicao", number>;
  shipping_methods: { name: string; count: number; percentage: number }[];
  status_counts: Record<(typeof ORDER_STATUSES)[number], number>;
  recent_orders: PedidoResponse[];
  urgent_orders: PedidoResponse[];
}

const ACTIVE = "status NOT IN ('pronto', 'entregue', 'cancelado')";
const DONE = "status IN ('pronto', 'entregue')";
const pct = (part: number, whole: number) => (whole > 0 ? Math.round((100 * part) / whole) : 0);

/** `timeZone`: the shop's (`SHOP_TIMEZONE`): "today" is its local day, not UTC's (which starts at 21:00 in São Paulo). */
export function orderSummary(q: Sql, timeZone: string, now = nowIso()): DashboardSummary {
  const today = localDate(timeZone, new Date(now));
  const start = localDayStartIso(timeZone, today);
  const next = localDayStartIso(timeZone, addDays(today, 1));
  const f = q.get<Record<string, number | null>>(
    `SELECT COUNT(*) AS total,
       SUM(${ACTIVE} AND data_entrega IS NOT NULL AND data_entrega <> '' AND data_entrega < @today) AS atrasados,
       SUM(${ACTIVE} AND prioridade = 'ALTA') AS urgentes,
       SUM(data_entrada = @today OR (data_criacao >= @start AND data_criacao < @next)) AS hoje,
       SUM(${DONE} AND ultima_atualizacao >= @start AND ultima_atualizacao < @next) AS concluidos_hoje,
       SUM(${DONE} AND data_entrega IS NOT NULL AND data_entrega <> '') AS done_with_due,
       SUM(${DONE} AND data_entrega IS NOT NULL AND data_entrega <> '' AND substr(ultima_atualizacao, 1, 10) <= data_entrega) AS on_time,
       AVG(CASE WHEN ${DONE} THEN julianday(ultima_atualizacao) - julianday(data_entrada) END) AS avg_production,
       AVG(CASE WHEN ${ACTIVE} AND data_entrega IS NOT NULL AND data_entrega <> '' AND data_entrega < @today
           THEN julianday(@now) - julianday(data_entrega) END) AS avg_delay,
       SUM(status = 'cancelado') AS cancelados,
       SUM(status <> 'cancelado' AND financeiro = 1) AS financeiro,
       SUM(status <> 'cancelado' AND conferencia = 1) AS conferencia,
       SUM(status <> 'cancelado' AND sublimacao = 1) AS sublimacao,
       SUM(status <> 'cancelado' AND costura = 1) AS costura,
       SUM(status <> 'cancelado' AND expedicao = 1) AS expedicao
     FROM pedidos WHERE rascunho = 0`,
    // named parameters (@today, @start, @next, @now): the driver binds them from one object
    { today, start, next, now } as never,
  )!;
  const n = (k: string) => Number(f[k] ?? 0);
  const status_counts = Object.fromEntries(ORDER_STATUSES.map((st) => [st, 0])) as DashboardSummary["status_counts"];
  for (const r of q.all<{ status: string; n: number }>("SELECT status, COUNT(*) AS n FROM pedidos WHERE rascunho = 0 GROUP BY status")) {
    if (r.status in status_counts) status_counts[r.status as keyof typeof status_counts] = r.n;
  }
  const total = n("total");
  const active = Math.max(total - n("cancelados"), 1);
  const shipping_methods = q
    .all<{ name: string; count: number }>(
      `SELECT COALESCE(NULLIF(TRIM(forma_envio), ''), 'Não especificado') AS name, COUNT(*) AS count
       FROM pedidos WHERE rascunho = 0 GROUP BY 1 ORDER BY count DESC, name LIMIT 5`,
    )
    .map((r) => ({ name: r.name, count: r.count, percentage: pct(r.count, total) }));
  return {
    total,
    pendentes: status_counts.pendente,
    em_producao: status_counts.em_producao,
    concluidos: status_counts.pronto + status_counts.entregue,
    concluidos_hoje: n("concluidos_hoje"),
    atrasados: n("atrasados"),
    urgentes: n("urgentes"),
    hoje: n("hoje"),
    efficiency_rate: pct(n("on_time"), n("done_with_due")),
    avg_production_time: Math.round(n("avg_production")),
    avg_delay_time: Math.round(n("avg_delay")),
    production_efficiency: {
      financeiro: pct(n("financeiro"), active),
      conferencia: pct(n("conferencia"), active),
      sublimacao: pct(n("sublimacao"), active),
      costura: pct(n("costura"), active),
      expedicao: pct(n("expedicao"), active),
    },
    shipping_methods,
    status_counts,
    recent_orders: ordersWhere(q, "rascunho = 0 AND status <> 'cancelado'", [], "data_criacao DESC, id DESC", 5),
    urgent_orders: ordersWhere(
      q,
      `rascunho = 0 AND prioridade = 'ALTA' AND ${ACTIVE}`,
      [],
      "data_entrega IS NULL, data_entrega ASC, id",
      5,
    ),
  };
}
