import type { Sql } from "../db/connection.ts";
import { badRequest } from "../errors.ts";
import { formatCents } from "../money.ts";
import { foldText } from "../text.ts";
import { localDateTimeBr } from "../time.ts";
import type { FreteDistribution, ReportStatus, Selection } from "./filters.ts";
import { itemMatcher } from "./fechamentos.ts";
import { eachReportOrder, type ReportItem, type ReportOrder } from "./orders.ts";
import { splitFreight } from "./values.ts";

/**
 * `GET /relatorios-fechamentos/pedidos/relatorio`: the grouped closing report (spec §1), computed in integer cents
 * in one pass over the selected orders and items.
 *
 * Exactness, by construction: a row is one item (`valor_servico` = its adjusted value, see `orders.ts`); freight
 * `por_pedido` goes whole on the order's first row shown, `proporcional` is split over the order's items by value
 * (`splitFreight`, remainder to the last); subtotals are sums of their rows, the total the sum of the subtotals.
 * So, without item filters, total frete + serviço = Σ `valor_total` of the selected orders, to the cent. An order
 * without items shows as one row ("Pedido sem itens") carrying its whole value.
 */

export const REPORT_TITLES = {
  analitico_designer_cliente: "Relatório Analítico — Designer × Cliente",
  analitico_cliente_designer: "Relatório Analítico — Cliente × Designer",
  analitico_cliente_painel: "Relatório Analítico — Cliente × Tipo de Produção",
  analitico_designer_painel: "Relatório Analítico — Designer × Tipo de Produção",
  analitico_entrega_painel: "Relatório Analítico — Forma de Entrega × Tipo de Produção",
  analitico_vendedor_designer: "Relatório Analítico — Vendedor × Designer",
  analitico_designer_vendedor: "Relatório Analítico — Designer × Vendedor",
  sintetico_data: "Relatório Sintético — Totais por Data (referência automática)",
  sintetico_data_entrada: "Relatório Sintético — Totais por Data de Entrada",
  sintetico_data_entrega: "Relatório Sintético — Totais por Data de Entrega",
  sintetico_designer: "Relatório Sintético — Totais por Designer",
  sintetico_vendedor: "Relatório Sintético — Totais por Vendedor",
  sintetico_vendedor_designer: "Relatório Sintético — Totais por Vendedor/Designer",
  sintetico_cliente: "Relatório Sintético — Totais por Cliente",
  sintetico_entrega: "Relatório Sintético — Totais por Forma de Entrega",
} as const;

export type ReportType = keyof typeof REPORT_TITLES;
export const REPORT_TYPES = Object.keys(REPORT_TITLES) as ReportType[];

export function parseReportType(value: string | undefined): ReportType {
  const t = (value ?? "").trim().toLowerCase();
  if (t in REPORT_TITLES) return t as ReportType;
  throw badRequest(`report_type invalido. Use um de: ${REPORT_TYPES.join(", ")}`);
}

export interface Money {
  valor_frete: string;
  valor_servico: string;
}
export interface ReportRow extends Money {
  ficha: string;
  descricao: string;
}
export interface ReportGroup {
  key: string;
  label: string;
  rows: ReportRow[];
  subgroups?: ReportGroup[];
  subtotal: Money;
}
export interface Report {
  title: string;
  period_label: string;
  status_label: string;
  page: 1;
  generated_at: string;
  report_type: ReportType;
  frete_distribution: FreteDistribution;
  groups: ReportGroup[];
  total: Money;
}

export interface ReportRequest {
  type: ReportType;
  selection: Selection & { from: string; to: string };
  status: ReportStatus;
  vendedor: string | null;
  designer: string | null;
  frete: FreteDistribution;
  timeZone: string;
  now?: Date;
}

/** One line of the report before grouping: an item (or an order without items) with its cents. */
interface Line {
  order: ReportOrder;
  item: ReportItem | null;
  frete: number;
  servico: number;
}

/** A group's label, and for dates the key it sorts by (oldest first, "Sem data" last); others sort by the folded label. */
type Label = string | { label: string; sort: string };

/** The original's slug: folded, every run of non-alphanumerics one hyphen, no hyphen at the ends. */
export const slugify = (label: string): string =>
  foldText(label)
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");

const named = (prefix: string, value: string, empty: string): Label => `${prefix}: ${value || empty}`;

const dated = (prefix: string, date: string | null): Label => {
  if (!date) return { label: `${prefix}: Sem data`, sort: "\uffff" };
  const [y, m, d] = date.slice(0, 10).split("-");
  return { label: `${prefix}: ${d}/${m}/${y}`, sort: date };
};

const cliente = (l: Line) => named("Cliente", l.order.cliente, "Cliente não informado");
const designer = (l: Line) => named("Designer", l.item?.designer ?? "", "Sem designer");
const vendedor = (l: Line) => named("Vendedor", l.item?.vendedor ?? "", "Sem vendedor");
const tipo = (l: Line) => named("Tipo de Produção", l.item?.tipoProducao ?? "", "Sem tipo");
const entrega = (l: Line) => named("Forma de Entrega", l.order.formaEnvio, "Sem forma de envio");

type Key = (l: Line) => Label;

/** Group (and, for analíticos, subgroup) of each report type. */
function keysOf(type: ReportType, mode: Selection["mode"]): { group: Key; sub?: Key } {
  switch (type) {
    case "analitico_designer_cliente":
      return { group: designer, sub: cliente };
    case "analitico_cliente_designer":
      return { group: cliente, sub: designer };
    case "analitico_cliente_painel":
      return { group: cliente, sub: tipo };
    case "analitico_designer_painel":
      return { group: designer, sub: tipo };
    case "analitico_entrega_painel":
      return { group: entrega, sub: tipo };
    case "analitico_vendedor_designer":
      return { group: vendedor, sub: designer };
    case "analitico_designer_vendedor":
      return { group: designer, sub: vendedor };
    // "Referência automática": the date the period was chosen by; under `qualquer`, the due date, else entry.
    case "sintetico_data":
      return {
        group: (l) =>
          dated(
            "Data",
            mode === "entrada"
              ? l.order.dataEntrada
              : mode === "entrega"
                ? l.order.dataEntrega
                : (l.order.dataEntrega ?? l.order.dataEntrada),
          ),
      };
    case "sintetico_data_entrada":
      return { group: (l) => dated("Data Entrada", l.order.dataEntrada) };
    case "sintetico_data_entrega":
      return { group: (l) => dated("Data Entrega", l.order.dataEntrega) };
    case "sintetico_designer":
      return { group: designer };
    case "sintetico_vendedor":
      return { group: vendedor };
    case "sintetico_vendedor_designer":
      return { group: (l) => `Vendedor/Designer: ${l.item?.vendedor || "Sem vendedor"} / ${l.item?.designer || "Sem designer"}` };
    case "sintetico_cliente":
      return { group: cliente };
    case "sintetico_entrega":
      return { group: entrega };
  }
}

/**
 * Slug and sort key per distinct label, folded once: labels repeat on every row, and folding (NFKD + regex) was
 * most of the report's own time.
 */
function labelCache() {
  const known = new Map<string, { label: string; key: string; sort: string }>();
  return (l: Label) => {
    const label = typeof l === "string" ? l : l.label;
    let k = known.get(label);
    if (!k) known.set(label, (k = { label, key: slugify(label), sort: typeof l === "string" ? foldText(label) : l.sort }));
    return k;
  };
}

/** An order's lines: one per item (matching the item filters), freight placed by the distribution mode. */
function linesOf(o: ReportOrder, r: ReportRequest, matches: (it: ReportItem) => boolean): Line[] {
  if (o.items.length === 0) {
    // Its value still has to be in the closing (the client's report shows it the same way).
    if (r.vendedor || r.designer) return [];
    return [{ order: o, item: null, frete: o.freteCents, servico: o.totalCents - o.freteCents }];
  }
  const shares =
    r.frete === "proporcional"
      ? splitFreight(
          o.freteCents,
          o.items.map((it) => it.valueCents),
        )
      : null;
  const lines: Line[] = [];
  o.items.forEach((it, k) => {
    if (!matches(it)) return;
    const frete = shares ? shares[k] : lines.length === 0 ? o.freteCents : 0;
    lines.push({ order: o, item: it, frete, servico: it.valueCents });
  });
  return lines;
}

const descricaoOf = (l: Line): string => (l.item ? l.item.descricao || l.item.tipoProducao || "Item" : "Pedido sem itens");

interface Acc {
  key: string;
  label: string;
  sort: string;
  rows: ReportRow[];
  subs: Map<string, Acc> | null;
  frete: number;
  servico: number;
  orders: Set<number>;
  items: number;
}

const acc = (l: { label: string; key: string; sort: string }, withSubs: boolean): Acc => ({
  key: l.key,
  label: l.label,
  sort: l.sort,
  rows: [],
  subs: withSubs ? new Map() : null,
  frete: 0,
  servico: 0,
  orders: new Set(),
  items: 0,
});

const money = (frete: number, servico: number): Money => ({ valor_frete: formatCents(frete), valor_servico: formatCents(servico) });
const sorted = (m: Map<string, Acc>) => [...m.values()].sort((a, b) => (a.sort < b.sort ? -1 : a.sort > b.sort ? 1 : 0));

export function buildReport(q: Sql, r: ReportRequest): Report {
  const { group, sub } = keysOf(r.type, r.selection.mode);
  const selection = { ...r.selection, statuses: r.status.statuses };
  const groups = new Map<string, Acc>();
  const labelOf = labelCache();
  const matches = itemMatcher(r);
  let totalFrete = 0;
  let totalServico = 0;
  eachReportOrder(q, selection, {}, (o) => {
    for (const l of linesOf(o, r, matches)) {
      const gl = labelOf(group(l));
      let g = groups.get(gl.key);
      if (!g) groups.set(gl.key, (g = acc(gl, !!sub)));
      g.frete += l.frete;
      g.servico += l.servico;
      g.orders.add(o.id);
      if (l.item) g.items++;
      // Analíticos list every line in its subgroup; a sintético shows only its group's sums.
      if (sub) {
        const sl = labelOf(sub(l));
        let s = g.subs!.get(sl.key);
        if (!s) g.subs!.set(sl.key, (s = acc(sl, false)));
        s.rows.push({ ficha: o.numero || String(o.id), descricao: descricaoOf(l), ...money(l.frete, l.servico) });
        s.frete += l.frete;
        s.servico += l.servico;
      }
      totalFrete += l.frete;
      totalServico += l.servico;
    }
  });
  const out: ReportGroup[] = sorted(groups).map((g) => {
    if (g.subs) {
      return {
        key: g.key,
        label: g.label,
        rows: [],
        subgroups: sorted(g.subs).map((s) => ({ key: s.key, label: s.label, rows: s.rows, subtotal: money(s.frete, s.servico) })),
        subtotal: money(g.frete, g.servico),
      };
    }
    // Sintético: the group's one row is its subtotal.
    const subtotal = money(g.frete, g.servico);
    return {
      key: g.key,
      label: g.label,
      rows: [{ ficha: `Pedidos: ${g.orders.size} · Itens: ${g.items}`, descricao: "Subtotal", ...subtotal }],
      subtotal,
    };
  });
  return {
    title: REPORT_TITLES[r.type],
    period_label: periodLabel(r.selection.from, r.selection.to),
    status_label: `Status: ${r.status.label}`,
    page: 1,
    generated_at: localDateTimeBr(r.timeZone, r.now),
    report_type: r.type,
    frete_distribution: r.frete,
    groups: out,
    total: money(totalFrete, totalServico),
  };
}

const br = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;

export function periodLabel(from: string | null, to: string | null): string {
  if (from && to) return `Período: ${br(from)} - ${br(to)}`;
  if (from || to) return `Período: ${br((from ?? to)!)}`;
  return "Período não especificado";
}
