// PUT /fichas/templates (admin): upserts both sheet layouts (unknown keys kept) and answers what GET now returns.
import { defineFunction } from "../../lib/function.ts";
import { saveTemplates } from "../../lib/fichas/index.ts";
import { templatesBody } from "../../lib/fichas/schemas.ts";
import { FichaTemplates } from "../../lib/fichas/wire-schemas.ts";

export default defineFunction({
  method: "PUT",
  path: "/fichas/templates",
  guard: "admin",
  summary: "Salva os templates de ficha (administradores)",
  tags: ["fichas"],
  response: FichaTemplates,
  body: templatesBody,
  run: (ctx, { body }) => ctx.db.write((tx) => saveTemplates(tx, body, ctx.log)),
});
