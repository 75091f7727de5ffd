import * as v from "valibot";
import { pathId } from "../schemas.ts";
import { isMoneyInRange, MONEY_INVALID, parseMoney } from "../money.ts";
import { toDateOnly } from "../time.ts";
import { ORDER_STATUSES } from "./status.ts";
import { isBlank } from "../text.ts";
import { ORDER_LIMITS } from "./limits.ts";
import { ITEM_COUNT_KEYS, ITEM_MONEY_INPUT_KEYS, parseCount } from "./pricing.ts";

/**
 * Request schemas of the order routes. Tolerant where the real client varies (money and text as numbers or
 * strings, pt-BR money, ISO datetimes for dates), strict where the contract says so (status, dates, item ids).
 */

const tooLong = (max: number) => `Texto longo demais: no máximo ${max} caracteres`;

/** Free text; a number is accepted and kept as its string (the client sends `tipo_pagamento` ids both ways). */
const text = v.optional(
  v.nullable(
    v.pipe(
      v.union([v.string(), v.number()]),
      v.transform((x) => String(x)),
      v.maxLength(ORDER_LIMITS.textChars, tooLong(ORDER_LIMITS.textChars)),
    ),
  ),
);

/**
 * Money as a number or a string (`"150.00"`, `"1.234,56"`, `"R$ 10"`); blank = absent. Output: cents or null.
 * One rule and one message for every money field, order and item alike (`MAX_MONEY_CENTS`, never negative).
 */
const money = v.optional(
  v.pipe(
    v.nullable(v.union([v.string(), v.number()])),
    v.check((x) => isBlank(x) || isMoneyInRange(x), MONEY_INVALID),
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
  v.pipe(
    v.string(),
    v.transform((s) => s.trim().toUpperCase()),
    v.picklist(["NORMAL", "ALTA"], "Prioridade inválida: use NORMAL ou ALTA"),
  ),
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

/** An item's money field: checked like the order's, kept as sent (pricing stores it in the `"X.XX"` form). */
const itemMoney = v.optional(
  v.nullable(
    v.pipe(
      v.union([v.string(), v.number()]),
      v.check((x) => isBlank(x) || isMoneyInRange(x), MONEY_INVALID),
    ),
  ),
);
const COUNT_INVALID = `Quantidade inválida: use um número inteiro entre 0 e ${ORDER_LIMITS.quantity}`;
/** A piece or finish count: blank, or a non-negative number up to the limit ("2", 2, "1,5" as before). */
const itemCount = v.optional(
  v.nullable(
    v.pipe(
      v.union([v.string(), v.number()]),
      v.check((x) => isBlank(x) || ((n) => n !== null && n <= ORDER_LIMITS.quantity)(parseCount(x)), COUNT_INVALID),
    ),
  ),
);
const itemFieldChecks = {
  ...Object.fromEntries(ITEM_MONEY_INPUT_KEYS.map((k) => [k, itemMoney])),
  ...Object.fromEntries(ITEM_COUNT_KEYS.map((k) => [k, itemCount])),
} as Record<string, typeof itemMoney>;

/** True when every string inside `value` is within the item text limit (`imagem` is checked by its own rules). */
function itemTextsFit(item: Record<string, unknown>): boolean {
  const fits = (x: unknown, depth: number): boolean => {
    if (typeof x === "string") return x.length <= ORDER_LIMITS.itemTextChars;
    if (depth > 8 || x === null || typeof x !== "object") return true;
    return (Array.isArray(x) ? x : Object.values(x)).every((y) => fits(y, depth + 1));
  };
  return Object.entries(item).every(([k, x]) => k === "imagem" || fits(x, 0));
}

/**
 * An item: `id` (integer) when it already exists; money and count fields checked; every other key kept as sent,
 * within the item limits (`ORDER_LIMITS`).
 */
const itemOf = <E extends v.ObjectEntries>(entries: E) =>
  v.pipe(
    v.looseObject(entries),
    v.check((item) => Object.keys(item).length <= ORDER_LIMITS.itemKeys, `Item com campos demais: no máximo ${ORDER_LIMITS.itemKeys}`),
    v.check(
      (item) => itemTextsFit(item as Record<string, unknown>),
      `Texto longo demais em um campo do item: no máximo ${ORDER_LIMITS.itemTextChars} caracteres`,
    ),
  );
export const itemSchema = itemOf({ id: itemId, ...itemFieldChecks });
/** At most `ORDER_LIMITS.items` items, counted before any item is looked at (a 100,000-item body is refused at once). */
const items = v.optional(
  v.pipe(
    v.custom<unknown>(
      (x) => !Array.isArray(x) || x.length <= ORDER_LIMITS.items,
      `Itens demais: no máximo ${ORDER_LIMITS.items} por pedido`,
    ),
    v.array(itemSchema),
  ),
);

/** A client-chosen `numero`: digits only, at most 10 (the generated ones are 10 digits, zero-padded); blank = none. */
const numero = v.optional(
  v.nullable(
    v.pipe(
      v.union([v.string(), v.number()]),
      v.transform((x) => String(x).trim()),
      v.check(
        (x) => x === "" || new RegExp(`^\\d{1,${ORDER_LIMITS.numeroDigits}}$`).test(x),
        `numero inválido: use apenas dígitos, no máximo ${ORDER_LIMITS.numeroDigits}`,
      ),
    ),
  ),
);

const orderFields = {
  numero,
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

const cliente = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(1, "Informe o cliente"),
  v.maxLength(ORDER_LIMITS.clienteChars, tooLong(ORDER_LIMITS.clienteChars)),
);

/** POST /pedidos/. Unknown top-level keys are dropped; `financeiro_liberado_em` is never taken from a client. */
export const createOrderSchema = v.object({ ...orderFields, cliente, data_entrada: date });
/** A customer a draft may leave blank (null/blank allowed here; `updateOrder` refuses blanking a real order's). */
const draftCliente = v.optional(
  v.nullable(v.pipe(v.string(), v.trim(), v.maxLength(ORDER_LIMITS.clienteChars, tooLong(ORDER_LIMITS.clienteChars)))),
);
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

const bool = v.pipe(
  v.picklist(["true", "false", "1", "0"], "Use true ou false"),
  v.transform((s) => s === "true" || s === "1"),
);
const nonNegInt = (max: number) => v.pipe(v.string(), v.regex(/^\d+$/, "Número inteiro inválido"), v.transform(Number), v.maxValue(max));

/** Filters shared by the list and the total. Dates are checked by the repository (400 with the original's text). */
const filterFields = {
  /** A status, or `concluido` (pronto or entregue). */
  status: v.optional(
    v.picklist([...ORDER_STATUSES, "concluido"], `Status inválido: use um de ${[...ORDER_STATUSES, "concluido"].join(", ")}`),
  ),
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

/** PATCH /pedidos/pedido-itens/{item_id}: any item fields (checked like an order's items), plus an optional `pedido_id`. */
export const itemPatchSchema = itemOf(itemFieldChecks);
export const itemIdParams = v.object({ item_id: pathId });
