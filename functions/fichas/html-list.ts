// GET /fichas/templates/html (admin): which HTML templates exist, with size and modification time.
import { defineFunction } from "../../lib/function.ts";
import { listHtmlTemplates } from "../../lib/fichas/index.ts";
import { HtmlTemplateList } from "../../lib/fichas/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/fichas/templates/html",
  guard: "admin",
  summary: "Lista os templates HTML de ficha (administradores)",
  tags: ["fichas"],
  response: HtmlTemplateList,
  run: (ctx) => listHtmlTemplates(ctx.media),
});
