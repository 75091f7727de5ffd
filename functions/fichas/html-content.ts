// GET /fichas/templates/html/:template_type/content: {html, exists} for printing (any user, like the original).
import { defineFunction } from "../../lib/function.ts";
import { htmlTemplateContent } from "../../lib/fichas/index.ts";
import { templateTypeParams } from "../../lib/fichas/schemas.ts";
import { HtmlTemplateContent } from "../../lib/fichas/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/fichas/templates/html/:template_type/content",
  guard: "user",
  summary: "Conteúdo de um template HTML de ficha ({html, exists})",
  tags: ["fichas"],
  response: HtmlTemplateContent,
  params: templateTypeParams,
  run: (ctx, { params }) => htmlTemplateContent(ctx.media, params.template_type),
});
