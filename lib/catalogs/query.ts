import * as v from "valibot";
import { toDateOnly } from "../time.ts";

/** Query-string pieces shared by the catalog, panel and print-log routes (query values arrive as strings). */

/** An optional `YYYY-MM-DD` (a full ISO datetime is cut to its date; blank = absent); anything else is a 422. */
export const optionalDate = v.optional(
  v.pipe(
    v.string(),
    v.description("Data AAAA-MM-DD (de uma data e hora ISO vale a data)"),
    v.transform((s) => (s.trim() === "" ? undefined : toDateOnly(s))),
    v.check((d) => d !== null, "Data inválida (use AAAA-MM-DD)"),
    v.transform((d) => d ?? undefined),
  ),
);

/** An optional integer within `[min, max]`, `def` when absent. `clamp` folds out-of-range values in instead of a 422. */
export const intQuery = (def: number, min: number, max: number, clamp = false) =>
  v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      v.regex(/^-?\d+$/, "Deve ser um número inteiro"),
      // The bounds, for the docs (`/openapi.json` reads the pipe up to the transform).
      v.metadata({
        minimum: min,
        ...(max < Number.MAX_SAFE_INTEGER ? { maximum: max } : {}),
        ...(clamp ? { description: `Fora de ${min} a ${max}, vale o limite mais próximo` } : {}),
      }),
      v.transform(Number),
      clamp
        ? v.transform((n: number) => Math.min(max, Math.max(min, n)))
        : v.check((n: number) => n >= min && n <= max, `Deve estar entre ${min} e ${max}`),
    ),
    String(def),
  );

/** An optional boolean flag (`true`/`false`/`1`/`0`), `def` when absent. */
export const boolQuery = (def: boolean) =>
  v.optional(
    v.pipe(
      v.string(),
      // A flag, for the docs (`true`/`false`; `1`/`0` are read too).
      v.metadata({ type: "boolean" }),
      v.trim(),
      v.toLowerCase(),
      v.picklist(["true", "false", "1", "0"], "Deve ser true ou false"),
      v.transform((s) => s === "true" || s === "1"),
    ),
    def ? "true" : "false",
  );
