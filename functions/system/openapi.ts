// GET /openapi.json: generated from the mounted definitions (schemas and guards); behind auth like every route.
import { defineFunction } from "../../lib/function.ts";
import { buildOpenApi } from "../../lib/openapi.ts";

export default defineFunction({
  method: "GET",
  path: "/openapi.json",
  guard: "user",
  summary: "Especificação OpenAPI gerada das definições",
  tags: ["sistema"],
  run: (ctx) => buildOpenApi(ctx.routes, ctx.config.version),
});
