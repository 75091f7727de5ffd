// GET /openapi.json: generated from the mounted definitions (schemas and guards). Public: it describes the API,
// not its data; `API_DOCS=false` turns it off with the explorer.
import { defineFunction } from "../../lib/function.ts";
import { buildOpenApi } from "../../lib/openapi.ts";
import { requireDocs } from "../../lib/docs/assets.ts";
import { OpenApiDocument } from "../../lib/ops/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/openapi.json",
  guard: "public",
  summary: "Especificação OpenAPI gerada das definições",
  tags: ["sistema"],
  response: OpenApiDocument,
  errors: [404],
  run: (ctx) => {
    requireDocs(ctx.config.apiDocs);
    return buildOpenApi(ctx.routes, ctx.config.version);
  },
});
