import * as v from "valibot";
import { pathId } from "../schemas.ts";
import { parseMoney } from "../money.ts";
import { toDateOnly } from "../time.ts";
import { ORDER_STATUSES } from "./status.ts";
import { isBlank } from "../text.ts";

/**
 * Request schemas of the order routes. Tolerant where the real client varies (money and text as numbers or
 * strings, pt-BR money, ISO datetimes for dates), strict where the contract says so (status, dates, item ids).
 */


/** Free text; a number is accepted and kept as its string (the client sends `tipo_pagamento` ids both ways). */
const text = v.optional(v.nullable(v.pipe(v.union([v.string(), v.number()]), v.transform((x) => String(x)))));

/** Money as a number or a string (`"150.00"`, `"1.234,56"`, `"R$ 10"`); blank = absent. Output: cents or null. */
const money = v.optional(
  v.pipe(
    v.nullable(v.union([v.string(), v.number()])),
    v.check((x) => isBlank(x) || parseMoney(x) !== null, "Valor monetário inválido"),
    v.transform((x) => (isBlank(x) ? null : parseMoney(x))),
  ),
);

/** `YYYY-MM-DD`; a full ISO datetime is cut to its date; anything else is 422. */
const date = v.pipe(
  v.string(),
  v.check((s) => toDateOnly(s) !== null, "Data inválida: use o formato YYYY-MM-DD"),
  v.transform((s) => toDateOnly(s) as string),
);
/** An optional date where blank/null means "none" (then `data_entrega` falls back to `data_entrada`). */
const optionalDate = v.optional(
  v.pipe(
    v.nullable(v.string()),
    v.check((s) => isBlank(s) || toDateOnly(s) !== null, "Data inválida: use o formato YYYY-MM-DD"),
    v.transform((s) => (isBlank(s) ? null : (toDateOnly(s) as string))),
  ),
);

export const statusSchema = v.picklist(ORDER_STATUSES, `Status inválido: use um de ${ORDER_STATUSES.join(", ")}`);
const prioridade = v.optional(
  v.pipe(v.string(), v.transform((s) => s.trim().toUpperCase()), v.picklist(["NORMAL", "ALTA"], "Prioridade inválida: use NORMAL ou ALTA")),
);
/** 0 means "none"; null, blank and a non-numeric value (the form stores a name) also mean none. */
const formaEnvioId = v.optional(
  v.pipe(
    v.nullable(v.union([v.number(), v.string()])),
    v.transform((x) => (typeof x === "number" ? x : x !== null && /^\s*\d+\s*$/.test(x) ? Number(x) : null)),
    v.nullable(v.pipe(v.number(), v.integer("forma_envio_id deve ser inteiro"), v.minValue(0))),
  ),
);
const flag = v.optional(v.boolean());
const itemId = v.optional(v.nullable(v.pipe(v.number(), v.integer("id do item deve ser inteiro"))));

/** An item: `id` (integer) when it already exists; every other key is kept as sent. */
export const itemSchema = v.looseObject({ id: itemId });
const items = v.optional(v.array(itemSchema));

const orderFields = {
  numero: v.optional(v.nullable(v.pipe(v.union([v.string(), v.number()]), v.transform((x) => String(x).trim())))),
  data_entrega: optionalDate,
  observacao: text,
  prioridade,
  status: v.optional(statusSchema),
  telefone_cliente: text,
  cidade_cliente: text,
  estado_cliente: text,
  valor_total: money,
  valor_frete: money,
  valor_itens: money,
  tipo_pagamento: text,
  obs_pagamento: text,
  forma_envio: text,
  forma_envio_id: formaEnvioId,
  financeiro: flag,
  conferencia: flag,
  sublimacao: flag,
  costura: flag,
  expedicao: flag,
  pronto: flag,
  sublimacao_maquina: text,
  sublimacao_data_impressao: text,
  items,
};

const cliente = v.pipe(v.string(), v.trim(), v.minLength(1, "Informe o cliente"));

/** POST /pedidos/. Unknown top-level keys are dropped; `financeiro_liberado_em` is never taken from a client. */
export const createOrderSchema = v.object({ ...orderFields, cliente, data_entrada: date });
/** A customer a draft may leave blank (null/blank allowed here; `updateOrder` refuses blanking a real order's). */
const draftCliente = v.optional(v.nullable(v.pipe(v.string(), v.trim())));
/**
 * PATCH /pedidos/{id}: every field optional; `items`, when sent, replaces the list. The client's draft autosave is a
 * PATCH too (`{rascunho: true, …}`), so `cliente` and `data_entrada` may come blank; `updateOrder` accepts that only
 * for a draft.
 */
export const updateOrderSchema = v.object({ ...orderFields, cliente: draftCliente, data_entrada: optionalDate });
/** POST /pedidos/rascunho: a draft may be incomplete (no customer yet; a blank entry date defaults to today). */
export const draftSchema = v.object({ ...orderFields, cliente: draftCliente, data_entrada: optionalDate });

export type CreateOrderInput = v.InferOutput<typeof createOrderSchema>;
export type UpdateOrderInput = v.InferOutput<typeof updateOrderSchema>;
export type DraftInput = v.InferOutput<typeof draftSchema>;

/** `/pedidos/:id` (see `pathId`: anything but digits is a 404 with a string detail). */
export const orderIdParams = v.object({ id: pathId });

const bool = v.pipe(v.picklist(["true", "false", "1", "0"], "Use true ou false"), v.transform((s) => s === "true" || s === "1"));
const nonNegInt = (max: number) => v.pipe(v.string(), v.regex(/^\d+$/, "Número inteiro inválido"), v.transform(Number), v.maxValue(max));

/** Filters shared by the list and the total. Dates are checked by the repository (400 with the original's text). */
const filterFields = {
  status: v.optional(statusSchema),
  cliente: v.optional(v.string()),
  data_inicio: v.optional(v.string()),
  data_fim: v.optional(v.string()),
  date_mode: v.optional(v.string()),
  is_pronto: v.optional(bool),
  tipo_producao: v.optional(v.string()),
};
export const listQuerySchema = v.object({
  ...filterFields,
  skip: v.optional(nonNegInt(Number.MAX_SAFE_INTEGER)),
  limit: v.optional(v.pipe(nonNegInt(100000), v.minValue(1, "limit deve ser ≥ 1"))),
});
export const totalQuerySchema = v.object(filterFields);
export type ListQuery = v.InferOutput<typeof listQuerySchema>;

export const batchStatusSchema = v.object({
  id_pedidos: v.array(v.pipe(v.number(), v.integer())),
  status: statusSchema,
});

/** PATCH /pedidos/pedido-itens/{item_id}: any item fields, plus an optional `pedido_id` (checked by the route). */
export const itemPatchSchema = v.record(v.string(), v.unknown());
export const itemIdParams = v.object({ item_id: pathId });
