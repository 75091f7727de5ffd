// PUT /fichas/templates/html (admin): stores the HTML templates as text files under the media root.
import { defineFunction } from "../../lib/function.ts";
import { saveHtmlTemplates } from "../../lib/fichas/index.ts";
import { htmlTemplatesBody } from "../../lib/fichas/schemas.ts";
import { HtmlTemplatesSaved } from "../../lib/fichas/wire-schemas.ts";

export default defineFunction({
  method: "PUT",
  path: "/fichas/templates/html",
  guard: "admin",
  summary: "Salva os templates HTML de ficha (administradores)",
  tags: ["fichas"],
  response: HtmlTemplatesSaved,
  body: htmlTemplatesBody,
  run: (ctx, { body }) => saveHtmlTemplates(ctx.media, body),
});
