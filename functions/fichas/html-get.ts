// GET /fichas/templates/html/:template_type (admin): the raw HTML as text/plain (never rendered on our origin).
import { defineFunction } from "../../lib/function.ts";
import { htmlTemplateResponse } from "../../lib/fichas/index.ts";
import { templateTypeParams } from "../../lib/fichas/schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/fichas/templates/html/:template_type",
  guard: "admin",
  summary: "Template HTML de ficha, como texto (administradores)",
  tags: ["fichas"],
  response: { mediaType: "text/plain", description: "O HTML do template, como texto (nunca renderizado nesta origem)" },
  // 413: a file grown past twice the cap by hand is not read.
  errors: [413],
  params: templateTypeParams,
  run: (ctx, { params }) => htmlTemplateResponse(ctx.media, params.template_type),
});
