// GET /fichas/: production sheets, newest first (skip, limit).
import * as v from "valibot";
import { defineFunction } from "../../lib/function.ts";
import { listFichas, toFichaWire } from "../../lib/fichas/index.ts";
import { fichaListQuery } from "../../lib/fichas/schemas.ts";
import { Ficha } from "../../lib/fichas/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/fichas",
  guard: "user",
  summary: "Lista as fichas (mais recentes primeiro)",
  tags: ["fichas"],
  response: v.array(Ficha),
  query: fichaListQuery,
  run: async (ctx, { query }) =>
    (await ctx.db.read((q) => listFichas(q, query.skip, query.limit))).map((r) => toFichaWire(r, ctx.media.signer)),
});
