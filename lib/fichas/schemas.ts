import * as v from "valibot";
import { pathId } from "../schemas.ts";
import { numberInput } from "../catalogs/crud.ts";
import { intQuery } from "../catalogs/query.ts";
import { FIELD_TYPES, TEMPLATE_TYPES } from "./templates.ts";

/** Request schemas of `/fichas`. Tolerant where the original was (numbers as strings), bounded everywhere. */

/** A JSON object body (valibot's `object` alone also takes an array). */
const body = <const E extends v.ObjectEntries>(entries: E) =>
  v.pipe(
    v.custom<Record<string, unknown>>((x) => typeof x === "object" && x !== null && !Array.isArray(x), "Deve ser um objeto JSON"),
    v.object(entries),
  );

const text = (max: number) => v.optional(v.nullable(v.pipe(v.string(), v.maxLength(max, `Máximo de ${max} caracteres`))));
const clientId = v.optional(v.nullable(v.pipe(numberInput(true), v.minValue(1, "client_id deve ser >= 1"))));
/** A data URL or bare base64; its size is checked against `MAX_IMAGE_MB` when decoded (413). */
const imagem = v.optional(v.nullable(v.string()));

export const fichaBody = body({
  client_id: clientId,
  nome: text(500),
  descricao: text(20_000),
  imagem_base64: imagem,
});

export const fichaParams = v.object({ id: pathId });

/** `skip`/`limit` of the list: limit 100 by default, as the original; larger asks are held to 1,000. */
export const fichaListQuery = v.object({
  skip: intQuery(0, 0, Number.MAX_SAFE_INTEGER),
  limit: intQuery(100, 1, 1000, true),
});

/** A flag as JSON sends it, or as the original's lax parser took it (`1`/`0`, `"true"`/`"false"`). */
const flag = v.optional(
  v.nullable(
    v.pipe(
      v.union([v.boolean(), v.picklist([0, 1]), v.picklist(["true", "false"])], "Deve ser true ou false"),
      v.transform((x) => x === true || x === 1 || x === "true"),
    ),
  ),
);
const num = numberInput(false);

/** One field of a sheet layout; keys we do not know are kept as sent. */
const templateField = v.looseObject({
  id: v.pipe(v.string(), v.minLength(1, "Informe o id do campo"), v.maxLength(200)),
  type: v.picklist(FIELD_TYPES, `Tipo de campo inválido: use ${FIELD_TYPES.join(", ")}`),
  label: v.pipe(v.string(), v.maxLength(2000)),
  key: v.pipe(v.string(), v.maxLength(200)),
  x: num,
  y: num,
  width: num,
  height: num,
  fontSize: v.optional(v.nullable(num)),
  bold: flag,
  visible: flag,
  editable: flag,
  // An image field may carry its picture as a data URL (a logo), hence the room.
  imageUrl: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(8 * 1024 * 1024)))),
});

/** One sheet layout. `templateType` and `updatedAt` sent back by the client are ignored (the server owns them). */
const template = v.looseObject({
  title: v.pipe(v.string(), v.maxLength(500)),
  width: num,
  height: num,
  marginTop: num,
  marginBottom: num,
  marginLeft: num,
  marginRight: num,
  fields: v.pipe(v.array(templateField), v.maxLength(1000, "Máximo de 1000 campos")),
});

/** `PUT /fichas/templates`: both layouts, as the original required. */
export const templatesBody = body({ geral: template, resumo: template });

/** `PUT /fichas/templates/html`: either or both HTML texts (`""` or absent: that file is left as it is). */
export const htmlTemplatesBody = body({
  geral: v.optional(v.nullable(v.string())),
  resumo: v.optional(v.nullable(v.string())),
});

export const templateTypeParams = v.object({ template_type: v.picklist(TEMPLATE_TYPES) });
