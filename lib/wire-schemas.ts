import * as v from "valibot";

/**
 * The wire shapes shared by every area: money, dates, ids, the error bodies, and the registry that names a shape
 * once so the OpenAPI document lists it under `components.schemas` and refers to it everywhere it is used.
 *
 * A response schema is what a route's JSON looks like on the wire (after `JSON.stringify`): no transforms, and
 * nothing looser than the contract. With response validation on (tests), every body a route sends is checked
 * against it, so a schema that is wrong fails the suite instead of misleading the docs.
 */

const registry = new Map<string, v.GenericSchema>();

/**
 * Names a wire schema: `components.schemas.<name>` in `/openapi.json`, a `$ref` wherever the same schema object
 * is used. Returns the schema itself, so the name costs nothing at runtime.
 * note: the reference is by identity; build a shape once and reuse the constant (a factory memoises per input).
 * @example export const UserRead = named("UserRead", v.object({ id: Id, username: v.string() }));
 */
export function named<S extends v.GenericSchema>(name: string, schema: S): S {
  const known = registry.get(name);
  if (known && known !== schema) throw new Error(`Esquema de resposta "${name}" declarado duas vezes`);
  registry.set(name, schema);
  return schema;
}

/** Every named wire schema, by name (the OpenAPI generator's `components.schemas`). */
export const namedSchemas = (): ReadonlyMap<string, v.GenericSchema> => registry;

/** Describes a schema in the docs (valibot's `description` action; the check is unchanged). */
export const described = <S extends v.GenericSchema>(schema: S, text: string) => v.pipe(schema, v.description(text));

/** A database id: a positive safe integer. */
export const Id = v.pipe(v.number(), v.integer(), v.minValue(1));

/** A count or a non-negative integer. */
export const Count = v.pipe(v.number(), v.integer(), v.minValue(0));

/**
 * Money on the wire: a dot-decimal string with exactly two places (`"1234.56"`), never null and never a number
 * (`lib/money.ts` `formatCents`; a legacy negative amount keeps its sign).
 */
export const Money = named(
  "Money",
  v.pipe(
    v.string(),
    v.regex(/^-?\d+\.\d{2}$/),
    v.description('Valor em reais como texto com ponto e duas casas: "1234.56" (nunca nulo)'),
    v.examples(["1234.56"]),
  ),
);

/** Money in pt-BR display form, `"1234,56"` (`valor_total_calculado`). */
export const MoneyBr = v.pipe(v.string(), v.regex(/^-?\d+,\d{2}$/), v.description('Valor em reais com vírgula: "1234,56"'));

/** A timestamp as we store and send it: ISO 8601 UTC with `Z` (`2026-01-07T06:02:13.219Z`). */
export const Timestamp = v.pipe(v.string(), v.isoTimestamp(), v.description("Data e hora ISO 8601 em UTC (`2026-01-07T06:02:13.219Z`)"));

/** A business date, `YYYY-MM-DD`. */
export const DateOnly = v.pipe(v.string(), v.isoDate(), v.description("Data `AAAA-MM-DD`"));

/** `{message}`: the original's acknowledgement of a write (deletes, saves). */
export const MessageResponse = named("MessageResponse", v.object({ message: v.string() }));

/** `{success, message}`: login-side acknowledgements (logout, password change). */
export const SuccessMessage = named("SuccessMessage", v.object({ success: v.literal(true), message: v.string() }));

/** Every error but a validation error: `{"detail": "<mensagem em português>"}`. */
export const HTTPError = named("HTTPError", v.object({ detail: v.pipe(v.string(), v.description("Mensagem em português")) }));

/** One entry of a 422 body (FastAPI's shape). */
export const ValidationIssueSchema = named(
  "ValidationError",
  v.object({
    loc: v.pipe(v.array(v.union([v.string(), v.number()])), v.description('Onde: `["body", "items", 0, "status"]`, `["query", "limit"]`')),
    msg: v.string(),
    type: v.string(),
    input: v.optional(v.unknown()),
  }),
);

/** A 422 body: `{"detail": [{loc, msg, type}]}`, as FastAPI answers. */
export const HTTPValidationError = named("HTTPValidationError", v.object({ detail: v.array(ValidationIssueSchema) }));

/**
 * Where `value` (a parsed JSON body) departs from `schema`: one `field: message` line per issue, at most `max`;
 * empty when it fits. Used by the runtime's response validation and by tests.
 * @example wireIssues(UserRead, { id: "1" }) // ["id: Tipo inválido: …", "username: Campo obrigatório", …]
 */
export function wireIssues(schema: v.GenericSchema, value: unknown, max = 5): string[] {
  const r = v.safeParse(schema, value);
  if (r.success) return [];
  return r.issues.slice(0, max).map((issue) => `${v.getDotPath(issue) ?? "(corpo)"}: ${issue.message}`);
}
