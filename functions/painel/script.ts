// GET /painel/painel.js: the board's script (bundled from web/painel/), public like its page.
import { defineFunction } from "../../lib/function.ts";
import { painelAsset, painelAssets } from "../../lib/painel/assets.ts";
import { assetQuery } from "../../lib/painel/schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/painel/painel.js",
  guard: "public",
  summary: "Script do painel de produção",
  tags: ["painel"],
  query: assetQuery,
  response: { mediaType: "text/javascript" },
  run: async (_ctx, { query, headers }) => painelAsset(await painelAssets(), "script", query.v, headers.get("if-none-match")),
});
