import { Hono } from "hono";
import { compress } from "hono/compress";
import { routePath } from "hono/route";
import { randomUUID } from "node:crypto";
import { pathsOf, type AnyFunctionDef, type Deps } from "../lib/function.ts";
import { originPolicy } from "./cors.ts";
import { mount, type MountOptions } from "./mount.ts";
import { json, renderError } from "./errors.ts";
import { acceptsGzip, edgeHeaders, headerOf, nodeOf, ResponseMemo, type Edge } from "./respond.ts";

const REQUEST_ID = /^[\w\-=]{1,64}$/;

/**
 * The HTTP app. One global middleware, the edge, then the mounted definitions, one JSON `notFound` and one
 * `onError`. The edge, in this order:
 * 1. request id (the client's `X-Request-Id` when sane, else a new one; on every log line and sent back);
 * 2. CORS: preflights answered here, for every path, known or not (`runtime/cors.ts`);
 * 3. the route runs; `runtime/respond.ts` builds its whole response at once (request id, timing, CORS, gzip);
 * 4. any other response (not found, an error, a file) gets the same headers here, and gzip when large;
 * 5. the request metrics (by route pattern), the access line and the audit lines, slow-request warnings.
 * note: one middleware instead of Hono's request-id, cors and compress: each of those touched the response
 * after the route, which made @hono/node-server build a full web Response per request, and compress gzipped even
 * 70-byte bodies (most of the CPU of a small request).
 */
export function createApp(deps: Deps, defs: readonly AnyFunctionDef[], opts: MountOptions = {}): Hono {
  const app = new Hono({ strict: false });
  const origins = originPolicy(deps.config.corsOrigins);
  const gzipRest = compress({ threshold: 1024 });
  const guards = guardsByRoute(defs);
  app.use(async function edge(c, next) {
    const startedAt = performance.now();
    const sent = headerOf(c, "x-request-id");
    const requestId = sent && REQUEST_ID.test(sent) ? sent : randomUUID();
    const origin = headerOf(c, "origin");
    if (c.req.method === "OPTIONS" && headerOf(c, "access-control-request-method")) {
      deps.metrics.observeRequest("OPTIONS", "preflight", 204, (performance.now() - startedAt) / 1000);
      return new Response(null, { status: 204, headers: { ...origins.preflight(origin), "X-Request-Id": requestId } });
    }
    const state: Edge = {
      requestId,
      startedAt,
      cors: origins.headersFor(origin),
      gzip: acceptsGzip(headerOf(c, "accept-encoding")),
      done: false,
    };
    c.set("requestId", requestId);
    c.set("edge", state);
    await next();
    if (!state.done) {
      // Not built by respond.ts (not found, an error, a file, a handler's own Response): same headers, gzip if large.
      for (const [k, v] of Object.entries(edgeHeaders(state, null))) c.res.headers.set(k, v);
      if (state.gzip) await gzipRest(c, async () => {});
    }
    const secs = (performance.now() - startedAt) / 1000;
    // The pattern (`/pedidos/:id`), not the raw path, so metrics keep a bounded set of labels.
    const matched = routePath(c);
    const route = matched === "*" || matched === "/*" || matched === "" ? "unmatched" : matched;
    const status = c.res.status;
    deps.metrics.observeRequest(c.req.method, route, status, secs);
    const ip = nodeOf(c).incoming?.socket?.remoteAddress ?? null;
    const user = c.get("sgpUser") ?? null;
    const line = { rid: requestId, method: c.req.method, path: c.req.path, status, ms: Math.round(secs * 10_000) / 10, user, ip };
    if (secs > 3) deps.log.error(line, "very slow request");
    else if (secs > 1) deps.log.warn(line, "slow request");
    else deps.log.info(line, "request");
    const audit = auditOf(c.req.method, route, status, guards.get(`${c.req.method} ${route}`));
    if (audit) {
      const entry = { audit, rid: requestId, user: user ?? c.get("sgpLogin") ?? null, ip, method: c.req.method, path: c.req.path, status };
      if (audit === "login_locked") deps.log.warn(entry, "audit: login locked out");
      else deps.log.info(entry, `audit: ${audit.replace(/_/g, " ")}`);
    }
  });
  mount(app, defs, deps, { memo: new ResponseMemo(), ...opts });
  app.notFound(() => json(404, { detail: "Not Found" }));
  app.onError((err, c) => renderError(err, c.get("requestId") ?? "-", deps.log));
  return app;
}

declare module "hono" {
  interface ContextVariableMap {
    /** The authenticated caller's username, set by runtime/mount.ts for the access log. */
    sgpUser: string;
    /** The username a login attempt named (set by runtime/mount.ts), for the audit line of a failed login. */
    sgpLogin: string;
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
