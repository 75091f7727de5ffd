// GET /painel/painel.css: the board's stylesheet, public like its page.
import { defineFunction } from "../../lib/function.ts";
import { painelAsset, painelAssets } from "../../lib/painel/assets.ts";
import { assetQuery } from "../../lib/painel/schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/painel/painel.css",
  guard: "public",
  summary: "Folha de estilo do painel de produção",
  tags: ["painel"],
  query: assetQuery,
  response: { mediaType: "text/css" },
  run: async (_ctx, { query, headers }) => painelAsset(await painelAssets(), "style", query.v, headers.get("if-none-match")),
});
