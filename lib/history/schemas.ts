import * as v from "valibot";
import { intQuery } from "../catalogs/query.ts";
import { HISTORY_DEFAULT_LIMIT, HISTORY_MAX_LIMIT } from "./index.ts";

/** `GET /pedidos/{id}/historico?limit=&before=`: `before` is the `event_id` of the oldest entry already shown. */
export const historyQuery = v.object({
  limit: intQuery(HISTORY_DEFAULT_LIMIT, 1, HISTORY_MAX_LIMIT),
  before: v.optional(v.pipe(v.string(), v.trim(), v.regex(/^\d{1,15}$/, "Deve ser um número inteiro"), v.transform(Number))),
});
