import type { Sql } from "../db/connection.ts";
import type { JsonBytes } from "../orders/bytes.ts";
import { listOrdersBytes } from "../orders/index.ts";
import { parseDateMode, parseIntParam, parseRange, parseStatusParam } from "./filters.ts";

/**
 * The two report routes that answer the order list itself, in the exact shape of `GET /pedidos/` (the same
 * reader, `listOrdersBytes`: the stored item JSON spliced into the response, images signed): the client builds
 * its closing report and its shipping report from them.
 */

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
export function relatorioSemanalBytes(q: Sql, query: SemanalQuery, mapImage: (v: unknown) => unknown): JsonBytes {
  const { from, to } = parseRange(["start_date", "end_date"], query.start_date, query.end_date, true);
  const mode = parseDateMode(query.date_mode);
  return listOrdersBytes(q, { data_inicio: from!, data_fim: to!, date_mode: mode, cliente: query.cliente }, null, mapImage);
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
export function enviosBytes(q: Sql, query: EnviosQuery, mapImage: (v: unknown) => unknown): JsonBytes {
  const { from, to } = parseRange(["data_inicio", "data_fim"], query.data_inicio, query.data_fim);
  const statusIn = parseStatusParam(query.status) ?? undefined;
  const skip = parseIntParam("skip", query.skip, 0, 0, Number.MAX_SAFE_INTEGER);
  const limit = query.limit === undefined || query.limit.trim() === "" ? undefined : parseIntParam("limit", query.limit, 0, 1, 100_000);
  return listOrdersBytes(
    q,
    { data_inicio: from ?? undefined, data_fim: to ?? undefined, date_mode: "entrega", cliente: query.cliente, statusIn, skip, limit },
    null,
    mapImage,
  );
}
