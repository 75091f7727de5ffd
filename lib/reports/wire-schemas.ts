import * as v from "valibot";
import { Count, DateOnly, Id, Money, named, Timestamp } from "../wire-schemas.ts";
import { ORDER_STATUSES } from "../orders/status.ts";
import { PedidoResponse } from "../orders/wire-schemas.ts";
import { CATEGORIES } from "./filters.ts";
import { REPORT_TITLES, REPORT_TYPES } from "./relatorio.ts";
import { INTENTS } from "./safira-intents.ts";
import { TEMPLATE_TYPES } from "./templates.ts";

/**
 * Wire shapes of the analytics routes: `/relatorios-fechamentos/…`, `/relatorios/…`, `/relatorios-envios/…`,
 * `/automacao/…` and `/safira/ask` (lib/reports). Money is `"1234.56"` everywhere here (`formatCents`); counts,
 * pieces and m² are numbers.
 */

const Status = v.picklist(ORDER_STATUSES);
const DateMode = v.picklist(["entrada", "entrega", "qualquer"]);
const GroupBy = v.picklist(["day", "week", "month"]);
const Category = v.picklist(CATEGORIES);
/** A text filter echoed back, trimmed as sent; null when absent or blank. */
const Echo = v.nullable(v.string());
/** m² rounded to 4 decimals. */
const Area = v.pipe(v.number(), v.minValue(0));

/** The period every `/relatorios-fechamentos` and `/automacao` answer echoes. */
const period = { data_inicio: v.nullable(DateOnly), data_fim: v.nullable(DateOnly), date_mode: DateMode };

/** One line of a ranking (`lib/reports/fechamentos.ts` `ranking`): distinct orders, Σ pieces, Σ item values. */
const RankingEntry = named(
  "RelatorioRankingEntry",
  v.object({ name: v.string(), pedidos: Count, items: v.pipe(Count, v.description("Peças (a quantidade do preço)")), revenue: Money }),
);

/** One bucket of a trend: `YYYY-MM-DD` (the day, or the week's Monday) or `YYYY-MM`. */
const TrendItem = named(
  "RelatorioTrendItem",
  v.object({
    period: v.pipe(
      v.string(),
      v.regex(/^\d{4}-\d{2}(-\d{2})?$/),
      v.description("`AAAA-MM-DD` (dia, ou a segunda-feira da semana) ou `AAAA-MM`"),
    ),
    pedidos: Count,
    revenue: Money,
    frete: Money,
    servico: Money,
  }),
);

/** `GET /relatorios-fechamentos/pedidos/quantidade`. */
export const Quantidade = v.object({ total: Count, ...period, status: Echo, cliente: Echo });

/** `GET /relatorios-fechamentos/pedidos/por-status`. */
export const PorStatus = v.object({ items: v.array(v.object({ status: Status, total: Count })), ...period, cliente: Echo });

/** `GET /relatorios-fechamentos/pedidos/por-{cliente,vendedor,designer,tipo-producao}`. */
export const PorCategoria = named(
  "RelatorioPorCategoria",
  v.object({ category: Category, items: v.array(RankingEntry), ...period, status: Echo }),
);

/** `GET /relatorios-fechamentos/pedidos/tendencia`. */
export const Tendencia = v.object({ group_by: GroupBy, items: v.array(TrendItem), ...period, status: Echo });

/** `GET /relatorios-fechamentos/pedidos/valor-total`. */
export const ValorTotal = v.object({
  total_pedidos: Count,
  valor_total: Money,
  ...period,
  status: Echo,
  cliente: Echo,
  vendedor: Echo,
  designer: Echo,
});

/** `valor_frete` + `valor_servico` of a row, a subgroup, a group or the whole report. */
const ReportMoney = named("RelatorioValores", v.object({ valor_frete: Money, valor_servico: Money }));

const ReportRow = named(
  "RelatorioLinha",
  v.object({
    ficha: v.pipe(v.string(), v.description("Número do pedido (analítico) ou `Pedidos: N · Itens: N` (sintético)")),
    descricao: v.string(),
    valor_frete: Money,
    valor_servico: Money,
  }),
);

const groupHead = { key: v.pipe(v.string(), v.description("Slug do rótulo")), label: v.string() };

/** An analítico's group: no rows of its own, one subgroup per second key holding the item rows. */
const AnaliticoGroup = named(
  "RelatorioGrupoAnalitico",
  v.object({
    ...groupHead,
    rows: v.pipe(v.array(ReportRow), v.length(0)),
    subgroups: v.array(v.object({ ...groupHead, rows: v.array(ReportRow), subtotal: ReportMoney })),
    subtotal: ReportMoney,
  }),
);

/** A sintético's group: its one row is its subtotal. */
const SinteticoGroup = named(
  "RelatorioGrupoSintetico",
  v.object({ ...groupHead, rows: v.pipe(v.array(ReportRow), v.length(1)), subtotal: ReportMoney }),
);

const reportHead = {
  title: v.picklist(Object.values(REPORT_TITLES)),
  period_label: v.string(),
  status_label: v.pipe(v.string(), v.startsWith("Status: ")),
  page: v.literal(1),
  generated_at: v.pipe(
    v.string(),
    v.regex(/^\d{2}\/\d{2}\/\d{4}, \d{2}:\d{2}:\d{2}$/),
    v.description("`dd/mm/aaaa, HH:MM:SS` no fuso da loja"),
  ),
  frete_distribution: v.picklist(["por_pedido", "proporcional"]),
  total: ReportMoney,
};

const ANALITICOS = REPORT_TYPES.filter((t) => t.startsWith("analitico_"));
const SINTETICOS = REPORT_TYPES.filter((t) => t.startsWith("sintetico_"));

/**
 * `GET /relatorios-fechamentos/pedidos/relatorio` (`lib/reports/relatorio.ts` `Report`), for all 15 report types:
 * `analitico_*` groups carry subgroups of item rows, `sintetico_*` groups one subtotal row.
 */
export const Relatorio = named(
  "RelatorioFechamento",
  v.variant("report_type", [
    v.object({ ...reportHead, report_type: v.picklist(ANALITICOS), groups: v.array(AnaliticoGroup) }),
    v.object({ ...reportHead, report_type: v.picklist(SINTETICOS), groups: v.array(SinteticoGroup) }),
  ]),
);

/** `GET /relatorios-fechamentos/pedidos/relatorio-semanal`, `GET /relatorios-envios/pedidos`: the order list of GET /pedidos/. */
export const PedidoList = v.array(PedidoResponse);

/** `GET /relatorios/fechamentos/statistics`. */
export const FechamentosStatistics = v.object({
  total_pedidos: Count,
  total_items: Count,
  total_revenue: Money,
  total_frete: Money,
  total_servico: Money,
  average_ticket: Money,
});

/** `GET /relatorios/fechamentos/trends`. */
export const FechamentosTrends = v.object({ trends: v.array(TrendItem) });

/** `GET /relatorios/fechamentos/rankings/{category}`. */
export const FechamentosRankings = v.object({ category: Category, rankings: v.array(RankingEntry) });

const JsonObject = v.record(v.string(), v.unknown());

/** One report template (`lib/reports/templates.ts` `Template`): the client's unknown keys kept. */
const ReportTemplate = named(
  "RelatorioTemplate",
  v.looseObject({
    title: v.string(),
    headerFields: JsonObject,
    styles: JsonObject,
    tableConfig: v.nullable(JsonObject),
    pageConfig: v.nullable(JsonObject),
    updatedAt: v.pipe(v.nullable(Timestamp), v.description("null: o padrão, nunca salvo")),
  }),
);

/** `GET|PUT /relatorios/templates`. */
export const ReportTemplates = named(
  "RelatorioTemplates",
  v.object(
    Object.fromEntries(TEMPLATE_TYPES.map((t) => [t, ReportTemplate])) as Record<(typeof TEMPLATE_TYPES)[number], typeof ReportTemplate>,
  ),
);

/** `GET /automacao/pedidos/metragem`. */
export const AutomacaoMetragem = v.object({
  items: v.array(
    v.object({
      pedido_id: Id,
      numero: v.nullable(v.string()),
      cliente: v.string(),
      data_entrada: DateOnly,
      data_entrega: v.nullable(DateOnly),
      status: Status,
      total_itens: Count,
      total_metragem: Area,
      valor_total: Money,
    }),
  ),
  ...period,
  status: Echo,
  cliente: Echo,
});

/** `GET /automacao/producao/estatisticas`. */
export const AutomacaoEstatisticas = v.object({
  items: v.array(
    v.object({
      tipo_producao: v.pipe(v.string(), v.description('Em minúsculas; "sem tipo"')),
      total_pedidos: Count,
      total_itens: Count,
      total_metragem: Area,
      valor_total: Money,
    }),
  ),
  ...period,
  status: Echo,
  cliente: Echo,
});

/** `GET /automacao/producao/tecidos`. */
export const AutomacaoTecidos = v.object({
  items: v.array(
    v.object({
      tecido: v.pipe(v.string(), v.description('Title Case; "Sem Tecido"')),
      total_pedidos: Count,
      total_itens: Count,
      total_metragem: Area,
    }),
  ),
  ...period,
  status: Echo,
  cliente: Echo,
});

/** `GET /automacao/producao/alertas`. */
export const AutomacaoAlertas = v.object({
  items: v.array(
    v.object({
      pedido_id: Id,
      numero: v.nullable(v.string()),
      cliente: v.string(),
      data_entrega: v.nullable(DateOnly),
      status: v.picklist(["pendente", "em_producao", "pronto"]),
      tipo_alerta: v.picklist(["atrasado", "urgente_pendente", "estagnado"]),
      horas_estagnado: v.pipe(v.nullable(Count), v.description("Só em `estagnado`")),
    }),
  ),
});

/** `GET /automacao/pedido/{numero}`: the order as GET /pedidos/{id} answers it. */
export const AutomacaoPedido = PedidoResponse;

// Safira: one shape per intent, so a `meta` that drifts fails on the intent it belongs to.
const STAGES = ["financeiro", "conferencia", "sublimacao", "costura", "expedicao", "pronto"] as const;
const Month = v.pipe(v.string(), v.regex(/^\d{4}-\d{2}$/));
const metaOf: Record<(typeof INTENTS)[number], v.GenericSchema> = {
  pedidos_hoje: v.object({ data: DateOnly, total: Count }),
  pedidos_em_producao: v.object({ total: Count }),
  pedidos_atrasados: v.object({ data: DateOnly, total: Count }),
  tipo_pedido_mais_feito: v.object({ tipo: v.nullable(v.string()), total: Count }),
  material_mais_usado: v.union([v.object({ material: v.string(), area_m2: v.number(), itens: Count }), v.object({ material: v.null() })]),
  vendedor_mais_produtivo: v.object({ data: DateOnly, vendedor: v.nullable(v.string()), total: Count }),
  cliente_mais_pedidos: v.object({ mes: Month, cliente: v.nullable(v.string()), total: Count }),
  tempo_medio_producao: v.object({ horas: v.nullable(v.number()), pedidos: Count }),
  pedidos_concluidos_hoje: v.object({ data: DateOnly, total: Count }),
  etapa_producao_com_mais_pedidos: v.object({
    etapa: v.nullable(v.picklist(STAGES)),
    total: Count,
    etapas: v.object(Object.fromEntries(STAGES.map((s) => [s, Count])) as Record<(typeof STAGES)[number], typeof Count>),
  }),
};

/** `POST /safira/ask` (`lib/reports/safira.ts` `SafiraAnswer`): always 200; `unknown` and `error` carry no meta. */
export const SafiraAnswer = named(
  "SafiraAnswer",
  v.variant("intent", [
    ...INTENTS.map((intent) =>
      v.object({ recognized: v.literal(true), intent: v.literal(intent), answer: v.string(), meta: metaOf[intent] }),
    ),
    v.object({ recognized: v.literal(false), intent: v.picklist(["unknown", "error"]), answer: v.string(), meta: v.null() }),
  ]),
);
