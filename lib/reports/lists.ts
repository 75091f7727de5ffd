import type { OrderFilter } from "../orders/index.ts";
import { parseDateMode, parseIntParam, parseRange, parseStatusParam } from "./filters.ts";

/**
 * The two report routes that answer the order list itself, in the exact shape of `GET /pedidos/`: they only turn
 * their query into the list's filter (400 naming a bad parameter); the route streams the list through the same
 * reader as `GET /pedidos/` (`listOrderIds` + `orderListStream`: the stored wire JSON, images signed on the way
 * out). The client builds its closing report and its shipping report from them.
 */
export type ListFilter = OrderFilter & { skip?: number; limit?: number };

export interface SemanalQuery {
  start_date?: string;
  end_date?: string;
  date_mode?: string;
  cliente?: string;
}

/**
 * `GET /relatorios-fechamentos/pedidos/relatorio-semanal`: every order of the period, every status (cancelled
 * too), items included, newest first. Both dates are required (the original answered a 500 without them).
 * The period goes through `ix_pedidos_data_entrada` / `ix_pedidos_data_entrega` (both for `qualquer`).
 */
export function relatorioSemanalFilter(query: SemanalQuery): ListFilter {
  const { from, to } = parseRange(["start_date", "end_date"], query.start_date, query.end_date, true);
  const mode = parseDateMode(query.date_mode);
  return { data_inicio: from!, data_fim: to!, date_mode: mode, cliente: query.cliente };
}

export interface EnviosQuery {
  skip?: string;
  limit?: string;
  status?: string;
  cliente?: string;
  data_inicio?: string;
  data_fim?: string;
}

/**
 * `GET /relatorios-envios/pedidos`: the order list forced to `date_mode=entrega` (the due-date index), newest
 * first; `limit` absent = every order of the range.
 */
export function enviosFilter(query: EnviosQuery): ListFilter {
  const { from, to } = parseRange(["data_inicio", "data_fim"], query.data_inicio, query.data_fim);
  const statusIn = parseStatusParam(query.status) ?? undefined;
  const skip = parseIntParam("skip", query.skip, 0, 0, Number.MAX_SAFE_INTEGER);
  const limit = query.limit === undefined || query.limit.trim() === "" ? undefined : parseIntParam("limit", query.limit, 0, 1, 100_000);
  return { data_inicio: from ?? undefined, data_fim: to ?? undefined, date_mode: "entrega", cliente: query.cliente, statusIn, skip, limit };
}
