// POST /fichas/: creates a production sheet (200, like the original); its image is checked, stored and signed.
import { defineFunction } from "../../lib/function.ts";
import { createFicha } from "../../lib/fichas/index.ts";
import { fichaBody } from "../../lib/fichas/schemas.ts";
import { Ficha } from "../../lib/fichas/wire-schemas.ts";

export default defineFunction({
  method: "POST",
  path: "/fichas",
  guard: "user",
  summary: "Cria uma ficha (imagem_base64: data URL ou base64 de PNG, JPEG, WebP ou GIF)",
  tags: ["fichas"],
  response: Ficha,
  // 400: an unreadable or refused image; 404: client_id names no cliente.
  errors: [400, 404],
  body: fichaBody,
  run: (ctx, { body }) => createFicha(ctx, body),
});
