import { cors } from "hono/cors";
import type { MiddlewareHandler } from "hono";

/**
 * The original's allow-list (Tauri, localhost, LAN, its public hosts); used when CORS_ORIGINS is not set.
 * note: the client sends no cookies, so reflecting an allowed origin is enough; `*` is accepted too.
 */
const DEFAULT_PATTERNS: RegExp[] = [
  /^null$/,
  /^(tauri|app|capacitor):\/\/.*$/,
  /^https?:\/\/(localhost|127\.0\.0\.1|tauri\.localhost|[\w-]+\.localhost)(:\d+)?$/,
  /^https?:\/\/(192\.168\.\d{1,3}\.\d{1,3}|10\.\d{1,3}\.\d{1,3}\.\d{1,3})(:\d+)?$/,
  /^https:\/\/[\w-]+\.(ngrok-free\.app|ngrok\.app)$/,
  /^https?:\/\/[\w.-]+\.vercel\.app$/,
  /^https?:\/\/([\w-]+\.)?(finderbit\.com\.br|corrigeja\.com\.br)$/,
];

export const ALLOWED_HEADERS = ["authorization", "content-type", "ngrok-skip-browser-warning", "x-silent-request", "x-request-id"];

export function corsMiddleware(origins: string[] | "*"): MiddlewareHandler {
  const allowed =
    origins === "*"
      ? "*"
      : (origin: string) => {
          const ok = origins.length ? origins.includes(origin) : DEFAULT_PATTERNS.some((re) => re.test(origin));
          return ok ? origin : null;
        };
  return cors({
    origin: allowed,
    allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    allowHeaders: ALLOWED_HEADERS,
    exposeHeaders: ["X-Request-Id", "X-Process-Time", "Retry-After", "Content-Disposition"],
    maxAge: 600,
  });
}
