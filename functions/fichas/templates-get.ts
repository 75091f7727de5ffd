// GET /fichas/templates: the two sheet layouts {geral, resumo}, the original's defaults where none is stored.
import { defineFunction } from "../../lib/function.ts";
import { readTemplates } from "../../lib/fichas/index.ts";
import { FichaTemplates } from "../../lib/fichas/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/fichas/templates",
  guard: "user",
  summary: "Templates de ficha (geral e resumo)",
  tags: ["fichas"],
  response: FichaTemplates,
  run: (ctx) => ctx.db.read((q) => readTemplates(q, ctx.log)),
});
