import { badRequest } from "../errors.ts";
import { foldText } from "../text.ts";
import { toDateOnly } from "../time.ts";
import { ORDER_STATUSES, type OrderStatus } from "../orders/status.ts";

/**
 * Query parsing shared by the analytics routes (spec: original-modules.md §0). Every bad value is a 400 whose
 * string `detail` names the parameter (the original's texts where it had one); nothing here can end in a 500.
 */

export type DateMode = "entrada" | "entrega" | "qualquer";

/** An order selection: the filters every analytics route applies in SQL (`selection.ts`). */
export interface Selection {
  from: string | null;
  to: string | null;
  mode: DateMode;
  /** null = every status. */
  statuses: readonly OrderStatus[] | null;
  /** Folded substring of the customer's name. */
  cliente: string | null;
}

const blank = (v: string | undefined): boolean => v === undefined || v.trim() === "";

/**
 * A `YYYY-MM-DD` parameter (a full ISO datetime is cut to its date); blank = absent.
 * @throws AppError 400 `"<name> invalida. Use YYYY-MM-DD"` for anything else, impossible dates included.
 */
export function parseDateParam(name: string, value: string | undefined): string | null {
  if (blank(value)) return null;
  const s = value!.trim();
  const d = /^\d{4}-\d{2}-\d{2}(?:[T ].*)?$/.test(s) ? toDateOnly(s) : null;
  if (!d) throw badRequest(`${name} invalida. Use YYYY-MM-DD`);
  return d;
}

/** Both bounds of a range, checked in order. */
export function parseRange(
  names: [string, string],
  from: string | undefined,
  to: string | undefined,
  required = false,
): { from: string | null; to: string | null } {
  const a = parseDateParam(names[0], from);
  const b = parseDateParam(names[1], to);
  if (required && !a) throw badRequest(`${names[0]} é obrigatório (YYYY-MM-DD)`);
  if (required && !b) throw badRequest(`${names[1]} é obrigatório (YYYY-MM-DD)`);
  if (a && b && a > b) throw badRequest(`${names[0]} deve ser menor ou igual a ${names[1]}`);
  return { from: a, to: b };
}

/** `date_mode`: `entrada` | `entrega` | `qualquer` (trimmed, case ignored); absent = `def`. */
export function parseDateMode(value: string | undefined, def: DateMode = "entrada"): DateMode {
  if (blank(value)) return def;
  const m = value!.trim().toLowerCase();
  if (m === "entrada" || m === "entrega" || m === "qualquer") return m;
  throw badRequest("date_mode invalido. Use: entrada, entrega ou qualquer");
}

/** Folded status spellings of §0: `em processamento` is the screen's name of `em_producao`; `concluido` = pronto + entregue. */
const STATUS_SETS: Record<string, readonly OrderStatus[] | null> = {
  todos: null,
  pendente: ["pendente"],
  em_producao: ["em_producao"],
  "em producao": ["em_producao"],
  "em processamento": ["em_producao"],
  pronto: ["pronto"],
  entregue: ["entregue"],
  cancelado: ["cancelado"],
  concluido: ["pronto", "entregue"],
};

/**
 * `status` of the counting and ranking routes; absent or `todos` = every status.
 * @throws AppError 400 for an unknown value (the original ignored it silently and counted everything).
 */
export function parseStatusParam(value: string | undefined): readonly OrderStatus[] | null {
  if (blank(value)) return null;
  const key = foldText(value);
  if (key in STATUS_SETS) return STATUS_SETS[key];
  throw badRequest(`status invalido: use ${ORDER_STATUSES.join(", ")} ou concluido`);
}

/** The closing report's `status` (the Fechamentos screen's labels): `Concluido` there means every non-cancelled order. */
export interface ReportStatus {
  statuses: readonly OrderStatus[] | null;
  label: string;
}

const REPORT_STATUS: Record<string, ReportStatus> = {
  todos: { statuses: null, label: "Todos" },
  pendente: { statuses: ["pendente"], label: "Pendente" },
  "em processamento": { statuses: ["em_producao"], label: "Em Processamento" },
  "em producao": { statuses: ["em_producao"], label: "Em Processamento" },
  em_producao: { statuses: ["em_producao"], label: "Em Processamento" },
  concluido: { statuses: ["pendente", "em_producao", "pronto", "entregue"], label: "Concluído" },
  pronto: { statuses: ["pronto"], label: "Pronto" },
  entregue: { statuses: ["entregue"], label: "Entregue" },
  cancelado: { statuses: ["cancelado"], label: "Cancelado" },
};

export function parseReportStatus(value: string | undefined): ReportStatus {
  if (blank(value)) return REPORT_STATUS.todos;
  const r = REPORT_STATUS[foldText(value)];
  if (!r) throw badRequest("status invalido. Use: Pendente, Em Processamento, Concluido, Cancelado ou Todos");
  return r;
}

/**
 * `foldText` remembered per distinct value, for one request: names repeat on every item, and folding (NFKD and a
 * Unicode regex) was a third of a whole-history ranking's time. Bounded by the distinct names of one selection.
 */
export function memoFold(): (value: string) => string {
  const known = new Map<string, string>();
  return (value) => {
    let f = known.get(value);
    if (f === undefined) known.set(value, (f = foldText(value)));
    return f;
  };
}

/** A folded free-text filter (`cliente`, `vendedor`, `designer`); blank = none. */
export const parseTextFilter = (value: string | undefined): string | null => (blank(value) ? null : foldText(value)) || null;

/**
 * An integer parameter within `[min, max]`; absent = `def`.
 * @throws AppError 400 naming the parameter.
 */
export function parseIntParam(name: string, value: string | undefined, def: number, min: number, max: number): number {
  if (blank(value)) return def;
  const s = value!.trim();
  const n = /^\d{1,15}$/.test(s) ? Number(s) : NaN;
  if (!(n >= min && n <= max)) throw badRequest(`${name} deve ser um inteiro entre ${min} e ${max}`);
  return n;
}

export type GroupBy = "day" | "week" | "month";

export function parseGroupBy(value: string | undefined): GroupBy {
  if (blank(value)) return "day";
  const g = value!.trim().toLowerCase();
  if (g === "day" || g === "week" || g === "month") return g;
  throw badRequest("group_by invalido. Use: day, week ou month");
}

export const CATEGORIES = ["cliente", "vendedor", "designer", "tipo_producao"] as const;
export type Category = (typeof CATEGORIES)[number];

export function parseCategory(value: string | undefined): Category {
  const c = (value ?? "").trim().toLowerCase() as Category;
  if (CATEGORIES.includes(c)) return c;
  throw badRequest("Categoria inválida. Use: vendedor, designer, cliente ou tipo_producao");
}

export type FreteDistribution = "por_pedido" | "proporcional";

export function parseFreteDistribution(value: string | undefined): FreteDistribution {
  if (blank(value)) return "por_pedido";
  const f = value!.trim().toLowerCase();
  if (f === "por_pedido" || f === "proporcional") return f;
  throw badRequest("frete_distribution invalido. Use: por_pedido ou proporcional");
}

/**
 * The selection of a route's query: its date bounds (named `data_inicio`/`data_fim`, or `start_date`/`end_date` for
 * the closing report's routes), `date_mode` (default `defaultMode`), `status` and `cliente`.
 */
export function selectionOf(
  q: Record<string, string | undefined>,
  opts: { defaultMode?: DateMode; names?: [string, string] } = {},
): Selection {
  const names = opts.names ?? ["data_inicio", "data_fim"];
  const { from, to } = parseRange(names, q[names[0]], q[names[1]]);
  return {
    from,
    to,
    mode: parseDateMode(q.date_mode, opts.defaultMode),
    statuses: parseStatusParam(q.status),
    cliente: parseTextFilter(q.cliente),
  };
}
