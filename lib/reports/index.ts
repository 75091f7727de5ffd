import type { Sql } from "../db/connection.ts";
import { notFound } from "../errors.ts";
import type { PedidoResponse } from "../orders/wire.ts";
import { alerts, fabricStats, metragem, orderByNumero, productionStats } from "./automacao.ts";
import { countByStatus, countSelection, ranking, statistics, totalValue, trend } from "./fechamentos.ts";
import {
  parseCategory,
  parseDateMode,
  parseFreteDistribution,
  parseGroupBy,
  parseIntParam,
  parseRange,
  parseReportStatus,
  parseTextFilter,
  selectionOf,
  type Category,
  type Selection,
} from "./filters.ts";
import { buildReport, parseReportType, type Report } from "./relatorio.ts";

/**
 * The analytics routes' answers: each parses its query (400 naming a bad parameter), runs its lib/reports query
 * and shapes the response with the filters echoed back, as the original did. Handlers call one of these.
 */

type Q = Record<string, string | undefined>;

const echo = (v: string | undefined) => (v === undefined || v.trim() === "" ? null : v.trim());
const period = (s: Selection) => ({ data_inicio: s.from, data_fim: s.to, date_mode: s.mode });

export function quantidade(q: Sql, query: Q) {
  const s = selectionOf(query);
  return { total: countSelection(q, s), ...period(s), status: echo(query.status), cliente: echo(query.cliente) };
}

export function porStatus(q: Sql, query: Q) {
  const s = selectionOf({ ...query, status: undefined });
  return { items: countByStatus(q, s), ...period(s), cliente: echo(query.cliente) };
}

/** `por-cliente`, `por-vendedor`, `por-designer`, `por-tipo-producao`. */
export function porCategoria(q: Sql, query: Q, category: Category) {
  const s = selectionOf({ ...query, cliente: undefined });
  const limit = parseIntParam("limit", query.limit, 10, 1, 50);
  return { category, items: ranking(q, s, category, limit), ...period(s), status: echo(query.status) };
}

export function tendencia(q: Sql, query: Q) {
  const s = selectionOf({ ...query, cliente: undefined });
  const groupBy = parseGroupBy(query.group_by);
  return { group_by: groupBy, items: trend(q, s, groupBy), ...period(s), status: echo(query.status) };
}

export function valorTotal(q: Sql, query: Q) {
  const s = selectionOf(query);
  const f = { vendedor: parseTextFilter(query.vendedor), designer: parseTextFilter(query.designer) };
  return {
    ...totalValue(q, s, f),
    ...period(s),
    status: echo(query.status),
    cliente: echo(query.cliente),
    vendedor: echo(query.vendedor),
    designer: echo(query.designer),
  };
}

/** `GET …/relatorio`: the grouped closing report; `start_date` and `end_date` are required. */
export function relatorio(q: Sql, query: Q, timeZone: string, now?: Date): Report {
  const type = parseReportType(query.report_type);
  const { from, to } = parseRange(["start_date", "end_date"], query.start_date, query.end_date, true);
  const status = parseReportStatus(query.status);
  return buildReport(q, {
    type,
    selection: {
      from: from!,
      to: to!,
      mode: parseDateMode(query.date_mode),
      statuses: status.statuses,
      cliente: parseTextFilter(query.cliente),
    },
    status,
    vendedor: parseTextFilter(query.vendedor),
    designer: parseTextFilter(query.designer),
    frete: parseFreteDistribution(query.frete_distribution),
    timeZone,
    now,
  });
}

/** The selection of `/relatorios/fechamentos/*`: `start_date`/`end_date`, `date_mode` by delivery by default. */
const fechamentosSelection = (query: Q, withCliente: boolean): Selection =>
  selectionOf(
    { ...query, cliente: withCliente ? query.cliente : undefined },
    { defaultMode: "entrega", names: ["start_date", "end_date"] },
  );

export function fechamentosStatistics(q: Sql, query: Q) {
  return statistics(q, fechamentosSelection(query, true), {
    vendedor: parseTextFilter(query.vendedor),
    designer: parseTextFilter(query.designer),
  });
}

export function fechamentosTrends(q: Sql, query: Q) {
  const s = fechamentosSelection(query, false);
  return { trends: trend(q, s, parseGroupBy(query.group_by)) };
}

export function fechamentosRankings(q: Sql, category: string, query: Q) {
  const c = parseCategory(category);
  const s = fechamentosSelection(query, false);
  return { category: c, rankings: ranking(q, s, c, parseIntParam("limit", query.limit, 10, 1, 50)) };
}

/** The selection of `/automacao/*` (the original: `date_mode` entrada | entrega; ours also `qualquer`). */
const automacaoSelection = (query: Q) => selectionOf(query);

export function automacaoMetragem(q: Sql, query: Q) {
  const s = automacaoSelection(query);
  return { items: metragem(q, s), ...period(s), status: echo(query.status), cliente: echo(query.cliente) };
}

export function automacaoEstatisticas(q: Sql, query: Q) {
  const s = automacaoSelection(query);
  return { items: productionStats(q, s), ...period(s), status: echo(query.status), cliente: echo(query.cliente) };
}

export function automacaoTecidos(q: Sql, query: Q) {
  const s = automacaoSelection(query);
  return { items: fabricStats(q, s), ...period(s), status: echo(query.status), cliente: echo(query.cliente) };
}

export function automacaoAlertas(q: Sql, timeZone: string, now?: Date) {
  return { items: alerts(q, timeZone, now) };
}

export function automacaoPedido(q: Sql, numero: string): PedidoResponse {
  const order = orderByNumero(q, numero);
  if (!order) throw notFound("Pedido não encontrado");
  return order;
}

export { relatorioSemanalFilter, enviosFilter, type ListFilter } from "./lists.ts";
export { readTemplates, saveTemplates, templatesBody } from "./templates.ts";
export { askSafira } from "./safira.ts";
