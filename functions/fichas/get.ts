// GET /fichas/:id: one production sheet.
import { defineFunction } from "../../lib/function.ts";
import { getFicha, toFichaWire } from "../../lib/fichas/index.ts";
import { fichaParams } from "../../lib/fichas/schemas.ts";
import { Ficha } from "../../lib/fichas/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/fichas/:id",
  guard: "user",
  summary: "Busca uma ficha",
  tags: ["fichas"],
  response: Ficha,
  params: fichaParams,
  run: async (ctx, { params }) => toFichaWire(await ctx.db.read((q) => getFicha(q, params.id)), ctx.media.signer),
});
