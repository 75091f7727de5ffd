import * as v from "valibot";
import { pathId } from "../schemas.ts";
import { numberInput } from "../catalogs/crud.ts";
import { intQuery } from "../catalogs/query.ts";
import { toDateOnly } from "../time.ts";

/**
 * Request schemas of `/reposicoes`. Shapes are checked here (422, FastAPI's array); `status` and `prioridade` are
 * checked by the write itself, after the order, for the original's 404 / 400 messages (`reposicoes/index.ts`).
 */

/** A JSON object body (valibot's `object` alone also takes an array). */
const body = <const E extends v.ObjectEntries>(entries: E) =>
  v.pipe(
    v.custom<Record<string, unknown>>((x) => typeof x === "object" && x !== null && !Array.isArray(x), "Deve ser um objeto JSON"),
    v.object(entries),
  );

const text = (max: number) => v.optional(v.nullable(v.pipe(v.string(), v.maxLength(max, `Máximo de ${max} caracteres`))));
const orderId = v.pipe(numberInput(true), v.minValue(1, "order_id deve ser >= 1"));
const motivo = v.pipe(v.string(), v.trim(), v.minLength(1, "Informe o motivo"), v.maxLength(2000, "Máximo de 2000 caracteres"));
/** `YYYY-MM-DD` (a full ISO datetime is cut to its date). */
const date = v.pipe(
  v.string(),
  v.check((s) => toDateOnly(s) !== null, "Data inválida: use o formato YYYY-MM-DD"),
  v.transform((s) => toDateOnly(s) as string),
);
/** Free text here: the write answers 400 `"Status inválido"` / `"Prioridade inválida"` like the original. */
const label = v.optional(v.pipe(v.string(), v.maxLength(100)));
const flag = v.optional(
  v.pipe(
    v.union([v.boolean(), v.picklist([0, 1]), v.picklist(["true", "false"])], "Deve ser true ou false"),
    v.transform((x) => x === true || x === 1 || x === "true"),
  ),
);

const common = {
  descricao: text(20_000),
  data_solicitacao: v.optional(date),
  data_entrega_prevista: v.optional(v.nullable(date)),
  status: label,
  prioridade: label,
  observacao: text(20_000),
  financeiro: flag,
  conferencia: flag,
  sublimacao: flag,
  costura: flag,
  expedicao: flag,
  pronto: flag,
};

/** `POST /reposicoes/`: `order_id` and `motivo` required; the rest defaults (today, Pendente, NORMAL, flags off). */
export const reposicaoCreate = body({ order_id: orderId, motivo, ...common });
/** `PATCH /reposicoes/{id}`: any subset. A column that cannot be empty does not take null (422). */
export const reposicaoUpdate = body({ order_id: v.optional(orderId), motivo: v.optional(motivo), ...common });

export type ReposicaoCreate = v.InferOutput<typeof reposicaoCreate>;
export type ReposicaoUpdate = v.InferOutput<typeof reposicaoUpdate>;

export const reposicaoParams = v.object({ id: pathId });

/** `GET /reposicoes/?order_id&status` (newest first), paged: 1,000 by default, at most 10,000 a page. */
export const reposicaoListQuery = v.object({
  order_id: v.optional(v.pipe(v.string(), v.trim(), v.regex(/^\d{1,15}$/, "order_id deve ser um número inteiro"), v.transform(Number))),
  status: v.optional(v.string()),
  skip: intQuery(0, 0, Number.MAX_SAFE_INTEGER),
  limit: intQuery(1000, 1, 10_000, true),
});
export type ReposicaoListQuery = v.InferOutput<typeof reposicaoListQuery>;
