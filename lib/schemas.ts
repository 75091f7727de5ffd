import * as v from "valibot";

/**
 * A numeric path parameter (`/pedidos/:id`): digits only, at most 15 (always a safe integer). Anything else fails
 * the definition's `params` schema, which the runtime answers with 404 and a string detail (the client's pages
 * crash on a 422 array there).
 */
export const pathId = v.pipe(v.string(), v.regex(/^\d{1,15}$/), v.transform(Number));
