/**
 * CORS and the WebSocket `Origin` check: one allow-list for both.
 *
 * The default is what the shop's client really runs from (sgp-v4 and the original's list): the Tauri desktop app
 * (`tauri://localhost` on macOS/Linux, `http://tauri.localhost` on Windows, `https://tauri.localhost` when its
 * https scheme is on), the client's dev server on port 1420, and its web/PWA build at `https://sgp.finderbit.com.br`.
 * The original also echoed `null` (any sandboxed iframe or file page), every `*.vercel.app` and
 * `*.ngrok-free.app` (anyone can host one), any localhost port and every LAN address: none of those is allowed by
 * default any more. `CORS_ORIGINS` replaces the list (exact origins, comma separated); the word `default` in it
 * keeps the defaults (`CORS_ORIGINS=default,http://192.168.0.10:5173`); `*` allows every origin.
 * note: the client sends no cookies, so reflecting an allowed origin is enough. A request without `Origin` is
 * not from a browser page (the desktop app's HTTP goes through Rust; curl, scripts) and is not a CORS matter.
 */

export const DEFAULT_ORIGINS: readonly string[] = [
  "tauri://localhost",
  "http://tauri.localhost",
  "https://tauri.localhost",
  "http://localhost:1420",
  "http://127.0.0.1:1420",
  "https://sgp.finderbit.com.br",
];

export const ALLOWED_HEADERS = ["authorization", "content-type", "ngrok-skip-browser-warning", "x-silent-request", "x-request-id"];
const ALLOWED_METHODS = "GET,POST,PUT,PATCH,DELETE,OPTIONS";
const EXPOSED = "X-Request-Id,X-Process-Time,Retry-After,Content-Disposition";

/** Decides whether an `Origin` may call the API and open the socket. */
export interface OriginPolicy {
  /** True for an allowed origin, and for a request without one (not a browser page). */
  allows(origin: string | undefined | null): boolean;
  /** The response headers of an allowed cross-origin request (null: none to add). */
  headersFor(origin: string | undefined | null): Record<string, string> | null;
  /** The answer to a preflight (`OPTIONS` with `Access-Control-Request-Method`): 204, CORS headers if allowed. */
  preflight(origin: string | undefined | null): Record<string, string>;
}

/** `corsOrigins` as `loadConfig` reads `CORS_ORIGINS`: `*`, a list, or `[]` (unset: the defaults). */
export function originPolicy(corsOrigins: string[] | "*"): OriginPolicy {
  const any = corsOrigins === "*" || corsOrigins.includes("*");
  const list = corsOrigins === "*" ? [] : corsOrigins.length === 0 ? [...DEFAULT_ORIGINS] : corsOrigins.flatMap((o) => (o === "default" ? DEFAULT_ORIGINS : [o]));
  const allowed = new Set(list.map((o) => o.replace(/\/+$/, "").toLowerCase()));
  const ok = (origin: string) => any || allowed.has(origin.toLowerCase());
  return {
    allows: (origin) => !origin || ok(origin),
    headersFor(origin) {
      if (!origin || !ok(origin)) return null;
      return { "Access-Control-Allow-Origin": any ? "*" : origin, "Access-Control-Expose-Headers": EXPOSED, Vary: "Origin" };
    },
    preflight(origin): Record<string, string> {
      if (!origin || !ok(origin)) return { Vary: "Origin" };
      return {
        "Access-Control-Allow-Origin": any ? "*" : origin,
        "Access-Control-Allow-Methods": ALLOWED_METHODS,
        "Access-Control-Allow-Headers": ALLOWED_HEADERS.join(","),
        "Access-Control-Max-Age": "600",
        Vary: "Origin",
      };
    },
  };
}
