// GET /docs: a self-contained HTML index of every endpoint (no CDN: the shop's LAN may be offline).
import { defineFunction } from "../../lib/function.ts";
import { buildOpenApi, docsPage } from "../../lib/openapi.ts";

export default defineFunction({
  method: "GET",
  path: "/docs",
  guard: "user",
  summary: "Documentação da API (HTML)",
  tags: ["sistema"],
  run: (ctx) =>
    new Response(docsPage(buildOpenApi(ctx.routes, ctx.config.version)), {
      headers: { "content-type": "text/html; charset=utf-8" },
    }),
});
