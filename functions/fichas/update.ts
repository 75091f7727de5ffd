// PATCH /fichas/:id: the fields sent; a new image replaces the old one (deleted after COMMIT); "" removes it.
import { defineFunction } from "../../lib/function.ts";
import { updateFicha } from "../../lib/fichas/index.ts";
import { fichaBody, fichaParams } from "../../lib/fichas/schemas.ts";
import { Ficha } from "../../lib/fichas/wire-schemas.ts";

export default defineFunction({
  method: "PATCH",
  path: "/fichas/:id",
  guard: "user",
  summary: "Atualiza uma ficha (uma nova imagem substitui a anterior)",
  tags: ["fichas"],
  response: Ficha,
  errors: [400],
  params: fichaParams,
  body: fichaBody,
  run: (ctx, { params, body }) => updateFicha(ctx, params.id, body),
});
