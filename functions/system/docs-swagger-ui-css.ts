// GET /docs/swagger-ui.css: a file of the API explorer, public like its page (lib/docs/assets.ts).
import { defineFunction } from "../../lib/function.ts";
import { docsAssets, docsFile, docsFileQuery, requireDocs } from "../../lib/docs/assets.ts";

export default defineFunction({
  method: "GET",
  path: "/docs/swagger-ui.css",
  guard: "public",
  summary: "Folha de estilo do Swagger UI (explorador da API)",
  tags: ["sistema"],
  query: docsFileQuery,
  response: { mediaType: "text/css" },
  errors: [404],
  run: async (ctx, { query, headers }) => {
    requireDocs(ctx.config.apiDocs);
    return docsFile(await docsAssets(), "swagger-ui.css", query.v, headers);
  },
});
