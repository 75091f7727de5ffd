// DELETE /fichas/:id (admin): the row, then its image file.
import { defineFunction } from "../../lib/function.ts";
import { deleteFicha } from "../../lib/fichas/index.ts";
import { fichaParams } from "../../lib/fichas/schemas.ts";
import { MessageResponse } from "../../lib/wire-schemas.ts";

export default defineFunction({
  method: "DELETE",
  path: "/fichas/:id",
  guard: "admin",
  summary: "Exclui uma ficha e sua imagem (administradores)",
  tags: ["fichas"],
  response: MessageResponse,
  params: fichaParams,
  run: (ctx, { params }) => deleteFicha(ctx, params.id),
});
