import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { compress } from "hono/compress";
import { routePath } from "hono/route";
import { pathsOf, type AnyFunctionDef, type Deps } from "../lib/function.ts";
import { corsMiddleware } from "./cors.ts";
import { mount } from "./mount.ts";
import { json, renderError } from "./errors.ts";

/**
 * The HTTP app. Global middlewares, outermost first:
 * 1. request id (sent back as X-Request-Id, on every log line of the request);
 * 2. timing (X-Process-Time, the access log and audit lines, request metrics, slow-request warnings);
 * 3. CORS (preflights answered here, for every path, known or not);
 * 4. gzip (responses over 1 KiB, when the client accepts it);
 * then the mounted definitions, with one JSON `notFound` and one `onError`.
 */
export function createApp(deps: Deps, defs: readonly AnyFunctionDef[]): Hono {
  const app = new Hono({ strict: false });
  app.use(requestId({ headerName: "X-Request-Id", limitLength: 64 }));
  const guards = guardsByRoute(defs);
  app.use(async function timing(c, next) {
    const start = performance.now();
    // A failed login is audited with the name it tried; the body is tiny, so a copy is cheap (never a large one).
    const login = c.req.method === "POST" && c.req.path.replace(/\/+$/, "") === "/auth/login" ? await peekUsername(c.req.raw) : undefined;
    await next();
    const secs = (performance.now() - start) / 1000;
    c.res.headers.set("X-Process-Time", secs.toFixed(3));
    // The pattern (`/pedidos/:id`), not the raw path, so metrics keep a bounded set of labels.
    const matched = routePath(c);
    const route = matched === "*" || matched === "/*" || matched === "" ? (c.req.method === "OPTIONS" ? "preflight" : "unmatched") : matched;
    const status = c.res.status;
    deps.metrics.observeRequest(c.req.method, route, status, secs);
    const ip = (c.env as { incoming?: { socket?: { remoteAddress?: string } } })?.incoming?.socket?.remoteAddress ?? null;
    const user = c.get("sgpUser") ?? null;
    const line = { rid: c.get("requestId"), method: c.req.method, path: c.req.path, status, ms: Math.round(secs * 10_000) / 10, user, ip };
    if (secs > 3) deps.log.error(line, "very slow request");
    else if (secs > 1) deps.log.warn(line, "slow request");
    else deps.log.info(line, "request");
    const audit = auditOf(c.req.method, route, status, guards.get(`${c.req.method} ${route}`));
    if (audit) {
      const entry = { audit, rid: line.rid, user: user ?? login ?? null, ip, method: c.req.method, path: c.req.path, status };
      if (audit === "login_locked") deps.log.warn(entry, "audit: login locked out");
      else deps.log.info(entry, `audit: ${audit.replace(/_/g, " ")}`);
    }
  });
  app.use(corsMiddleware(deps.config.corsOrigins));
  app.use(compress({ threshold: 1024 }));
  mount(app, defs, deps);
  app.notFound(() => json(404, { detail: "Not Found" }));
  app.onError((err, c) => renderError(err, c.get("requestId") ?? "-", deps.log));
  return app;
}

declare module "hono" {
  interface ContextVariableMap {
    /** The authenticated caller's username, set by runtime/mount.ts for the access log. */
    sgpUser: string;
  }
}

/** Each mounted route (method + pattern as mounted) → its guard, for the audit lines. */
function guardsByRoute(defs: readonly AnyFunctionDef[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const def of defs) for (const p of pathsOf(def)) out.set(`${def.method} ${p.length > 1 ? p.replace(/\/+$/, "") : p}`, def.guard);
  return out;
}

/**
 * Which requests leave an audit line: failed and refused logins, failed password changes, every successful delete and
 * every successful admin write. The access line already has method, path, status, user and address; the audit
 * line makes them findable (`"audit":`).
 */
export function auditOf(method: string, route: string, status: number, guard: string | undefined): string | null {
  const ok = status >= 200 && status < 300;
  if (route === "/auth/login" && method === "POST") return status === 401 ? "login_failed" : status === 429 ? "login_locked" : null;
  if (route === "/auth/change-password" && (status === 400 || status === 429)) return "password_change_failed";
  if (method === "DELETE" && ok) return "delete";
  if (guard === "admin" && method !== "GET" && ok) return "admin_action";
  return null;
}

/** The `username` of a small JSON login body, without consuming the request (its copy is read; at most 4 KiB). */
async function peekUsername(req: Request): Promise<string | undefined> {
  const size = Number(req.headers.get("content-length") ?? "NaN");
  if (!Number.isFinite(size) || size > 4096 || !req.body) return undefined;
  try {
    const body = JSON.parse(await req.clone().text()) as { username?: unknown };
    return typeof body?.username === "string" ? body.username.slice(0, 100) : undefined;
  } catch {
    return undefined;
  }
}
