/**
 * CORS and the WebSocket `Origin` check: one allow-list for both.
 *
 * The default is what the shop's client really runs from (sgp-v4 and the original's list): the Tauri desktop app
 * (`tauri://localhost` on macOS/Linux, `http://tauri.localhost` on Windows, `https://tauri.localhost` when its
 * https scheme is on), the client's dev server on port 1420, and its web/PWA build at `https://sgp.finderbit.com.br`.
 * Also by default: pages served from this machine or the shop's own network — `http(s)://localhost`,
 * `127.x.x.x`, `[::1]` and private LAN addresses (`10.x`, `172.16–31.x`, `192.168.x`), any port — where the web/PWA
 * build is served in the shop; and a page of the server's own origin (the board, `/docs`).
 * The original also echoed `null` (any sandboxed iframe or file page), every `*.vercel.app` and
 * `*.ngrok-free.app` (anyone can host one) and `tauri://` anything: none of those is allowed any more.
 * `CORS_ORIGINS` replaces the list (exact origins, comma separated; then only those and the server's own origin);
 * the word `default` in it keeps the defaults (`CORS_ORIGINS=default,https://sgp.minhaloja.com.br`); `*` allows every
 * origin.
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

/** `http(s)://` on this machine or a private LAN address (RFC 1918), any port. */
const LOCAL_OR_LAN =
  /^https?:\/\/(localhost|127(?:\.\d{1,3}){3}|\[::1\]|10(?:\.\d{1,3}){3}|192\.168(?:\.\d{1,3}){2}|172\.(?:1[6-9]|2\d|3[01])(?:\.\d{1,3}){2})(:\d{1,5})?$/i;

/** True when `origin` is the server's own (`host` = the request's Host header): a page the server itself served. */
export const sameOrigin = (origin: string, host: string | null | undefined): boolean => {
  if (!host) return false;
  try {
    return new URL(origin).host.toLowerCase() === host.toLowerCase();
  } catch {
    return false;
  }
};

/** Decides whether an `Origin` may call the API and open the socket. */
export interface OriginPolicy {
  /** True for an allowed origin, and for a request without one (not a browser page); `host`: the request's Host. */
  allows(origin: string | undefined | null, host?: string | null): boolean;
  /** The response headers of an allowed cross-origin request (null: none to add). */
  headersFor(origin: string | undefined | null): Record<string, string> | null;
  /** The answer to a preflight (`OPTIONS` with `Access-Control-Request-Method`): 204, CORS headers if allowed. */
  preflight(origin: string | undefined | null): Record<string, string>;
}

/** `corsOrigins` as `loadConfig` reads `CORS_ORIGINS`: `*`, a list, or `[]` (unset: the defaults). */
export function originPolicy(corsOrigins: string[] | "*"): OriginPolicy {
  const any = corsOrigins === "*" || corsOrigins.includes("*");
  const list =
    corsOrigins === "*"
      ? []
      : corsOrigins.length === 0
        ? [...DEFAULT_ORIGINS]
        : corsOrigins.flatMap((o) => (o === "default" ? DEFAULT_ORIGINS : [o]));
  const allowed = new Set(list.map((o) => o.replace(/\/+$/, "").toLowerCase()));
  const withDefaults = corsOrigins !== "*" && (corsOrigins.length === 0 || corsOrigins.includes("default"));
  const ok = (origin: string) => any || allowed.has(origin.toLowerCase()) || (withDefaults && LOCAL_OR_LAN.test(origin));
  return {
    allows: (origin, host) => !origin || ok(origin) || sameOrigin(origin, host),
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
