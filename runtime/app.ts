import { Hono } from "hono";
import { compress } from "hono/compress";
import { randomUUID } from "node:crypto";
import type { AnyFunctionDef, Deps } from "../lib/function.ts";
import { originPolicy } from "./cors.ts";
import { mount, type MountOptions } from "./mount.ts";
import { json, renderError } from "./errors.ts";
import { acceptsGzip, edgeHeaders, headerOf, ResponseMemo, type Edge } from "./respond.ts";

const REQUEST_ID = /^[\w\-=]{1,64}$/;

/**
 * The HTTP app. One global middleware, the edge, then the mounted definitions, one JSON `notFound` and one
 * `onError`. The edge, in this order:
 * 1. request id (the client's `X-Request-Id` when sane, else a new one; on every log line and sent back);
 * 2. CORS: preflights answered here, for every path, known or not (`runtime/cors.ts`);
 * 3. the route runs; `runtime/respond.ts` builds its whole response at once (request id, timing, CORS, gzip);
 * 4. any other response (not found, an error, a file) gets the same headers here, and gzip when large;
 * 5. the access log and slow-request warnings.
 * note: one middleware instead of Hono's request-id, cors and compress: each of those touched the response
 * after the route, which made @hono/node-server build a full web Response per request, and compress gzipped even
 * 70-byte bodies (most of the CPU of a small request).
 */
export function createApp(deps: Deps, defs: readonly AnyFunctionDef[], opts: MountOptions = {}): Hono {
  const app = new Hono({ strict: false });
  const origins = originPolicy(deps.config.corsOrigins);
  const gzipRest = compress({ threshold: 1024 });
  app.use(async function edge(c, next) {
    const startedAt = performance.now();
    const sent = headerOf(c, "x-request-id");
    const requestId = sent && REQUEST_ID.test(sent) ? sent : randomUUID();
    const origin = headerOf(c, "origin");
    if (c.req.method === "OPTIONS" && headerOf(c, "access-control-request-method")) {
      return new Response(null, { status: 204, headers: { ...origins.preflight(origin), "X-Request-Id": requestId } });
    }
    const state: Edge = { requestId, startedAt, cors: origins.headersFor(origin), gzip: acceptsGzip(headerOf(c, "accept-encoding")), done: false };
    c.set("requestId", requestId);
    c.set("edge", state);
    await next();
    if (!state.done) {
      // Not built by respond.ts (not found, an error, a file, a handler's own Response): same headers, gzip if large.
      for (const [k, v] of Object.entries(edgeHeaders(state, null))) c.res.headers.set(k, v);
      if (state.gzip) await gzipRest(c, async () => {});
    }
    const secs = (performance.now() - startedAt) / 1000;
    if (secs > 1) {
      const line = { rid: requestId, method: c.req.method, path: c.req.path, status: c.res.status, secs: Number(secs.toFixed(4)) };
      if (secs > 3) deps.log.error(line, "very slow request");
      else deps.log.warn(line, "slow request");
    } else if (deps.log.isLevelEnabled("debug")) {
      deps.log.debug({ rid: requestId, method: c.req.method, path: c.req.path, status: c.res.status, secs: Number(secs.toFixed(4)) }, "request");
    }
  });
  mount(app, defs, deps, { memo: new ResponseMemo(), ...opts });
  app.notFound(() => json(404, { detail: "Not Found" }));
  app.onError((err, c) => renderError(err, c.get("requestId") ?? "-", deps.log));
  return app;
}
