// GET /: the original's banner; the client never reads it, but monitoring scripts do.
import { defineFunction } from "../../lib/function.ts";
import { RootResponse } from "../../lib/ops/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/",
  guard: "public",
  summary: "Identificação da API",
  tags: ["sistema"],
  response: RootResponse,
  run: (ctx) => ({ message: "API Sistema de Fichas", version: ctx.config.version, docs: "/docs" }),
});
