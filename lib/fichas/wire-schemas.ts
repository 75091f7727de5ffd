import * as v from "valibot";
import { Id, named, Timestamp } from "../wire-schemas.ts";
import { TEMPLATE_TYPES } from "./templates.ts";

/** Wire shapes of `/fichas` (client-contract §1.11). */

/** A production sheet (`lib/fichas/repository.ts` `toFichaWire`). */
export const Ficha = named(
  "Ficha",
  v.object({
    id: Id,
    client_id: v.nullable(Id),
    nome: v.nullable(v.string()),
    descricao: v.nullable(v.string()),
    imagem_path: v.pipe(v.nullable(v.string()), v.description("`fichas/{id}/<hex>.<ext>` sob MEDIA_ROOT")),
    imagem_url: v.pipe(v.nullable(v.string()), v.description("`/fichas/imagens/{id}?exp=…&sig=…` (assinada, expira)")),
    data_criacao: v.nullable(Timestamp),
    ultima_atualizacao: v.nullable(Timestamp),
  }),
);

/** One field of a sheet layout: every declared key present, the client's unknown keys kept. */
const TemplateField = named(
  "FichaTemplateField",
  v.looseObject({
    id: v.string(),
    type: v.string(),
    label: v.string(),
    key: v.string(),
    x: v.number(),
    y: v.number(),
    width: v.number(),
    height: v.number(),
    fontSize: v.number(),
    bold: v.nullable(v.boolean()),
    visible: v.boolean(),
    editable: v.boolean(),
    imageUrl: v.nullable(v.string()),
  }),
);

/** One sheet layout (`lib/fichas/templates.ts` `TemplateWire`); the client's unknown keys kept. */
const Template = named(
  "FichaTemplate",
  v.looseObject({
    templateType: v.picklist(TEMPLATE_TYPES),
    updatedAt: Timestamp,
    title: v.string(),
    width: v.number(),
    height: v.number(),
    marginTop: v.number(),
    marginBottom: v.number(),
    marginLeft: v.number(),
    marginRight: v.number(),
    fields: v.array(TemplateField),
  }),
);

/** `GET|PUT /fichas/templates`. */
export const FichaTemplates = named("FichaTemplates", v.object({ geral: Template, resumo: Template }));

const HtmlTemplateFile = v.union([
  v.object({ exists: v.literal(true), size: v.pipe(v.number(), v.integer()), modified: Timestamp, path: v.string() }),
  v.object({ exists: v.literal(false) }),
]);

/** `GET /fichas/templates/html`. */
export const HtmlTemplateList = named(
  "FichaHtmlTemplates",
  v.object({ templates: v.object({ geral: HtmlTemplateFile, resumo: HtmlTemplateFile }), templates_dir: v.string() }),
);

/** `PUT /fichas/templates/html`: which files were written. */
export const HtmlTemplatesSaved = v.object({
  message: v.string(),
  files: v.object({ geral: v.optional(v.string()), resumo: v.optional(v.string()) }),
});

/** `GET /fichas/templates/html/{template_type}/content`. */
export const HtmlTemplateContent = v.union([
  v.object({ html: v.string(), exists: v.literal(true) }),
  v.object({ html: v.null(), exists: v.literal(false) }),
]);
