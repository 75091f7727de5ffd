import * as v from "valibot";
import { pathId } from "../schemas.ts";
import { intQuery, optionalDate } from "../catalogs/query.ts";
import { ART_STATUSES } from "./panel.ts";

/** Query of `GET /designers/{nome}/itens`: entry-date bounds, `limit` clamped to 1..200 (default 50), `offset`. */
export const panelQuery = v.object({
  start_date: optionalDate,
  end_date: optionalDate,
  limit: intQuery(50, 1, 200, true),
  offset: intQuery(0, 0, Number.MAX_SAFE_INTEGER),
});

/** A stable item id (or the original's fallback id) in the path; anything else is a 404. */
export const itemParams = v.object({ item_id: pathId });

const artStatus = v.pipe(
  v.string(),
  v.description("aguardando ou liberado (maiúsculas também)"),
  v.trim(),
  v.toLowerCase(),
  v.picklist(ART_STATUSES, "status_arte deve ser 'aguardando' ou 'liberado'"),
);

/**
 * `{status_arte}`; builds of the client (and of the original) send `{legenda_imagem: "LIBERADO"|"AGUARDANDO"}`
 * instead, so both spellings are accepted (status_arte wins when both come).
 */
export const artStatusBody = v.pipe(
  v.object({ status_arte: v.optional(artStatus), legenda_imagem: v.optional(artStatus) }),
  v.check((b) => b.status_arte !== undefined || b.legenda_imagem !== undefined, "Informe status_arte ('aguardando' ou 'liberado')"),
  v.transform((b) => ({ status_arte: (b.status_arte ?? b.legenda_imagem)! })),
);

/** `autor` is accepted for compatibility but the comment is signed with the caller's username. */
export const commentBody = v.object({
  texto: v.pipe(v.string(), v.trim(), v.minLength(1, "Comentário vazio"), v.maxLength(4000)),
  autor: v.optional(v.nullable(v.string())),
});
