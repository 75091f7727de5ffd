import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { compress } from "hono/compress";
import type { AnyFunctionDef, Deps } from "../lib/function.ts";
import { corsMiddleware } from "./cors.ts";
import { mount } from "./mount.ts";
import { json, renderError } from "./errors.ts";

/**
 * The HTTP app. Global middlewares, outermost first:
 * 1. request id (sent back as X-Request-Id, on every log line of the request);
 * 2. timing (X-Process-Time, the access log, slow-request warnings);
 * 3. CORS (preflights answered here, for every path, known or not);
 * 4. gzip (responses over 1 KiB, when the client accepts it);
 * then the mounted definitions, with one JSON `notFound` and one `onError`.
 */
export function createApp(deps: Deps, defs: readonly AnyFunctionDef[]): Hono {
  const app = new Hono({ strict: false });
  app.use(requestId({ headerName: "X-Request-Id", limitLength: 64 }));
  app.use(async function timing(c, next) {
    const start = performance.now();
    await next();
    const secs = (performance.now() - start) / 1000;
    c.res.headers.set("X-Process-Time", secs.toFixed(3));
    const line = { rid: c.get("requestId"), method: c.req.method, path: c.req.path, status: c.res.status, secs: Number(secs.toFixed(4)) };
    if (secs > 3) deps.log.error(line, "very slow request");
    else if (secs > 1) deps.log.warn(line, "slow request");
    else deps.log.debug(line, "request");
  });
  app.use(corsMiddleware(deps.config.corsOrigins));
  app.use(compress({ threshold: 1024 }));
  mount(app, defs, deps);
  app.notFound(() => json(404, { detail: "Not Found" }));
  app.onError((err, c) => renderError(err, c.get("requestId") ?? "-", deps.log));
  return app;
}
