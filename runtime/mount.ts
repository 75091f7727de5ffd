import type { Context, Hono } from "hono";
import { isSchema, pathsOf, type AnyFunctionDef, type Ctx, type Deps } from "../lib/function.ts";
import { AppError } from "../lib/errors.ts";
import { wireIssues } from "../lib/wire-schemas.ts";
import { authenticate } from "../lib/auth/guard.ts";
import { JsonBody, JsonStream } from "../lib/body.ts";
import { readInput } from "./input.ts";
import { headerOf, nodeOf, respondJson, respondStream, type Edge, type ResponseMemo } from "./respond.ts";

/** Registration order: fixed paths before parameterised ones (`/pedidos/summary` before `/pedidos/:id`). */
export function sortForMounting(defs: readonly AnyFunctionDef[]): AnyFunctionDef[] {
  const weight = (p: string) => p.split("/").filter((s) => s.startsWith(":") || s === "*").length;
  const paths = (d: AnyFunctionDef) => (Array.isArray(d.path) ? d.path : [d.path]);
  return [...defs].sort((a, b) => (a.order ?? 0) - (b.order ?? 0) || Math.min(...paths(a).map(weight)) - Math.min(...paths(b).map(weight)));
}

export interface MountOptions {
  /**
   * Awaited after a handler ran and before its response goes out, when it returns a promise: the realtime hub's
   * "events committed so far have been written to the sockets" (so an event reaches the live clients before the
   * HTTP response of the write that caused it). Returns undefined when nothing is pending or when nothing was
   * committed since the request started (`commitMark`): no await, no cost.
   */
  settle?: (since: number) => Promise<void> | undefined;
  /** The hub's commit mark when a request starts (what `settle` compares with: a read waits for nothing). */
  commitMark?: () => number;
  /** Recent streamed answers (`JsonStream.memoKey`); none: every stream is produced afresh. */
  memo?: ResponseMemo;
}

/** The `get` of a web `Headers`, over the request's headers (all the guard needs). */
const headerView = (c: Context): Headers => ({ get: (name: string) => headerOf(c, name.toLowerCase()) ?? null }) as Headers;

declare module "hono" {
  interface ContextVariableMap {
    requestId: string;
    edge: Edge;
  }
}

/**
 * Turns definitions into Hono routes: guard, input, run, output. The only place that does.
 * note: the app is created with `strict: false`, so `/x` and `/x/` reach the same route without a redirect.
 */
export function mount(app: Hono, defs: readonly AnyFunctionDef[], deps: Deps, opts: MountOptions = {}): void {
  const { settle, commitMark } = opts;
  for (const def of sortForMounting(defs)) {
    const route = async (c: Context) => {
      const edge = c.get("edge");
      const requestId = edge.requestId;
      const { incoming } = nodeOf(c);
      // The guard reads one header: a view over Node's parsed headers, not a web Headers copy of all of them.
      const user = await authenticate(deps, headerView(c), def.guard);
      if (user) c.set("sgpUser", user.username); // for the access log
      const input = await readInput(
        c.req.raw,
        c.req.param() as Record<string, string>,
        c.req.query(),
        def,
        deps.config.maxBodyBytes,
        incoming,
      );
      const ip = incoming?.socket?.remoteAddress ?? "unknown";
      // The name an anonymous call gave (a login), for the audit line of a failed attempt.
      const named = user ? undefined : (input.body as { username?: unknown } | undefined)?.username;
      if (typeof named === "string") c.set("sgpLogin", named.slice(0, 100));
      let log: Deps["log"] | undefined;
      const ctx: Ctx = {
        ...deps,
        user,
        requestId,
        ip,
        // A child logger per request only when something logs (pino children are not free).
        get log() {
          return (log ??= deps.log.child({ rid: requestId }));
        },
      };
      const mark = commitMark ? commitMark() : 0;
      let out = await def.run(ctx, input);
      if (deps.config.validateResponses) out = await checkResponse(def, out);
      const pending = settle?.(mark);
      if (pending) await pending;
      if (out instanceof Response) return out;
      if (out instanceof JsonStream) return respondStream(c, edge, out, opts.memo);
      return respondJson(c, edge, def.status ?? 200, out);
    };
    // With `strict: false` Hono drops the request's trailing slash, so a declared `/pedidos/` is mounted as `/pedidos`.
    for (const path of pathsOf(def)) app.on(def.method, path.length > 1 ? path.replace(/\/+$/, "") : path, route);
  }
}

/**
 * Response validation (`SGP_VALIDATE_RESPONSES`, on in tests): a JSON success body must fit the route's declared
 * `response`, or the request fails with a 500 naming the route and the fields, so the docs cannot drift unnoticed.
 */
async function checkResponse(def: AnyFunctionDef, out: unknown): Promise<unknown> {
  if (!isSchema(def.response)) return out;
  let body: unknown;
  let result = out;
  if (out instanceof Response) {
    if (out.status < 200 || out.status >= 300 || !/json/i.test(out.headers.get("content-type") ?? "")) return out;
    body = await out.clone().json();
  } else if (out instanceof JsonBody) {
    body = JSON.parse(out.toBuffer().toString("utf8"));
  } else if (out instanceof JsonStream) {
    // Drained whole (tests only): the same bytes then go out as one body.
    const parts: Uint8Array[] = [];
    try {
      for (let chunk = await out.source.next(); chunk; chunk = await out.source.next()) parts.push(chunk);
    } finally {
      out.source.close();
    }
    result = new JsonBody(parts, out.status);
    body = JSON.parse(Buffer.concat(parts).toString("utf8"));
  } else if (out === null || out === undefined || def.status === 204) return out;
  else body = JSON.parse(JSON.stringify(out)); // what the wire carries (undefined keys dropped, dates as text)
  const issues = wireIssues(def.response, body);
  if (issues.length)
    throw new AppError(500, `Resposta de ${def.method} ${pathsOf(def)[0]} fora do esquema declarado: ${issues.join("; ")}`);
  return result;
}
