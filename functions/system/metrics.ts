// GET /metrics: Prometheus text format (lib/ops/metrics.ts). An admin token, or `METRICS_TOKEN` for a scraper.
// Declared public so a scraper's static token can be checked here; anyone else gets the guard's 401/403.
import { timingSafeEqual } from "node:crypto";
import { defineFunction } from "../../lib/function.ts";
import { forbidden, unauthorized } from "../../lib/errors.ts";
import { bearerOf } from "../../lib/auth/tokens.ts";

const sameSecret = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export default defineFunction({
  method: "GET",
  path: "/metrics",
  guard: "public",
  summary: "Métricas Prometheus (token de administrador ou METRICS_TOKEN)",
  tags: ["sistema"],
  errors: [401, 403],
  response: { mediaType: "text/plain", description: "Formato de texto do Prometheus (`text/plain; version=0.0.4`)" },
  async run(ctx, { headers }) {
    const token = bearerOf(headers);
    const scraper = token !== null && ctx.config.metricsToken !== null && sameSecret(token, ctx.config.metricsToken);
    if (!scraper) {
      if (!ctx.user) throw unauthorized(token ? "Token inválido ou expirado" : "Não autenticado");
      if (!ctx.user.isAdmin) throw forbidden();
    }
    const { contentType, body } = await ctx.metrics.render();
    return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
  },
});
