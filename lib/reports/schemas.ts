import * as v from "valibot";

/**
 * Query schemas of the analytics routes: every parameter an optional string, read as sent. Values are checked by
 * `filters.ts`, which answers 400 with a `detail` naming the parameter (the original's behaviour; a 422 array
 * here would break a client that shows `detail` as text). Unknown parameters are ignored.
 */
// note: no length cap here: the URL is bounded by the HTTP server's header limit (16 KB).
const text = v.optional(v.string());
const params = <K extends string>(...names: K[]) => v.object(Object.fromEntries(names.map((n) => [n, text])) as Record<K, typeof text>);

const PERIOD = ["data_inicio", "data_fim", "date_mode"] as const;

export const quantidadeQuery = params(...PERIOD, "status", "cliente");
export const porStatusQuery = params(...PERIOD, "cliente");
export const rankingQuery = params(...PERIOD, "status", "limit");
export const tendenciaQuery = params(...PERIOD, "status", "group_by");
export const valorTotalQuery = params(...PERIOD, "status", "cliente", "vendedor", "designer");
export const relatorioQuery = params(
  "report_type",
  "start_date",
  "end_date",
  "status",
  "date_mode",
  "vendedor",
  "designer",
  "cliente",
  "frete_distribution",
);
export const semanalQuery = params("start_date", "end_date", "date_mode", "cliente");
export const statisticsQuery = params("start_date", "end_date", "status", "date_mode", "vendedor", "designer", "cliente");
export const trendsQuery = params("start_date", "end_date", "status", "date_mode", "group_by");
export const rankingsQuery = params("start_date", "end_date", "status", "date_mode", "limit");
export const enviosQuery = params("skip", "limit", "status", "cliente", "data_inicio", "data_fim");
export const automacaoQuery = params(...PERIOD, "status", "cliente");

export const categoryParams = v.object({ category: v.string() });
export const numeroParams = v.object({ numero: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(50)) });

/** `POST /safira/ask`. */
export const askBody = v.object({
  question: v.pipe(v.string("question deve ser texto"), v.maxLength(1000, "Pergunta com mais de 1000 caracteres")),
});
