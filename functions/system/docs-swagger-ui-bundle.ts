// GET /docs/swagger-ui-bundle.js: a file of the API explorer, public like its page (lib/docs/assets.ts).
import { defineFunction } from "../../lib/function.ts";
import { docsAssets, docsFile, docsFileQuery, requireDocs } from "../../lib/docs/assets.ts";

export default defineFunction({
  method: "GET",
  path: "/docs/swagger-ui-bundle.js",
  guard: "public",
  summary: "Script do Swagger UI (explorador da API)",
  tags: ["sistema"],
  query: docsFileQuery,
  response: { mediaType: "text/javascript" },
  errors: [404],
  run: async (ctx, { query, headers }) => {
    requireDocs(ctx.config.apiDocs);
    return docsFile(await docsAssets(), "swagger-ui-bundle.js", query.v, headers);
  },
});
