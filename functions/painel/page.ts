// GET /painel: the production board's page shell. Public: it holds no data (decisions §1); the page logs in
// through /auth/login and reads the guarded API and /ws/orders.
import { defineFunction } from "../../lib/function.ts";
import { painelAssets, painelShell } from "../../lib/painel/assets.ts";

export default defineFunction({
  method: "GET",
  path: "/painel",
  guard: "public",
  summary: "Painel de produção (página; os dados vêm da API autenticada)",
  tags: ["painel"],
  response: { mediaType: "text/html", description: "A página (sem dados)" },
  run: async () => painelShell(await painelAssets()),
});
