// GET /docs/sgp-docs.js: a file of the API explorer, public like its page (lib/docs/assets.ts).
import { defineFunction } from "../../lib/function.ts";
import { docsAssets, docsFile, docsFileQuery, requireDocs } from "../../lib/docs/assets.ts";

export default defineFunction({
  method: "GET",
  path: "/docs/sgp-docs.js",
  guard: "public",
  summary: "Script do explorador da API (configuração e login)",
  tags: ["sistema"],
  query: docsFileQuery,
  response: { mediaType: "text/javascript" },
  errors: [404],
  run: async (ctx, { query, headers }) => {
    requireDocs(ctx.config.apiDocs);
    return docsFile(await docsAssets(), "sgp-docs.js", query.v, headers);
  },
});
