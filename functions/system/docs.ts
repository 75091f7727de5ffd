// GET /docs: the API explorer (Swagger UI, served from our own files: the shop's LAN may have no internet).
// Public like /openapi.json: it describes the API, not its data (FastAPI does the same); `API_DOCS=false` hides both.
import { defineFunction } from "../../lib/function.ts";
import { docsAssets, docsPage, requireDocs } from "../../lib/docs/assets.ts";

export default defineFunction({
  method: "GET",
  path: "/docs",
  guard: "public",
  summary: "Explorador da API (Swagger UI), com login na própria página",
  tags: ["sistema"],
  response: { mediaType: "text/html", description: "A página do explorador" },
  errors: [404],
  run: async (ctx) => {
    requireDocs(ctx.config.apiDocs);
    return docsPage(await docsAssets());
  },
});
