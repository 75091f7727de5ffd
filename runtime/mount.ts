import type { Context, Hono } from "hono";
import { isSchema, pathsOf, type AnyFunctionDef, type Deps } from "../lib/function.ts";
import { AppError } from "../lib/errors.ts";
import { wireIssues } from "../lib/wire-schemas.ts";
import { authenticate } from "../lib/auth/guard.ts";
import { readInput } from "./input.ts";
import { json } from "./errors.ts";

/** Registration order: fixed paths before parameterised ones (`/pedidos/summary` before `/pedidos/:id`). */
export function sortForMounting(defs: readonly AnyFunctionDef[]): AnyFunctionDef[] {
  const weight = (p: string) => p.split("/").filter((s) => s.startsWith(":") || s === "*").length;
  const paths = (d: AnyFunctionDef) => (Array.isArray(d.path) ? d.path : [d.path]);
  return [...defs].sort((a, b) => (a.order ?? 0) - (b.order ?? 0) || Math.min(...paths(a).map(weight)) - Math.min(...paths(b).map(weight)));
}


/**
 * Turns definitions into Hono routes: guard, input, run, output. The only place that does.
 * note: the app is created with `strict: false`, so `/x` and `/x/` reach the same route without a redirect.
 */
export function mount(app: Hono, defs: readonly AnyFunctionDef[], deps: Deps): void {
  for (const def of sortForMounting(defs)) {
    const route = async (c: Context) => {
      const requestId = c.get("requestId") as string;
      const user = await authenticate(deps, c.req.raw.headers, def.guard);
      if (user) c.set("sgpUser", user.username);
      const input = await readInput(c.req.raw, c.req.param() as Record<string, string>, c.req.query(), def, deps.config.maxBodyBytes);
      const ip = (c.env as { incoming?: { socket?: { remoteAddress?: string } } })?.incoming?.socket?.remoteAddress ?? "unknown";
      const ctx = { ...deps, user, requestId, ip, log: deps.log.child({ rid: requestId }) };
      const out = await def.run(ctx, input);
      if (deps.config.validateResponses) await checkResponse(def, out);
      if (out instanceof Response) return out;
      const status = def.status ?? 200;
      if (out === null || out === undefined || status === 204) return new Response(null, { status });
      return json(status, out);
    };
    // With `strict: false` Hono drops the request's trailing slash, so a declared `/pedidos/` is mounted as `/pedidos`.
    for (const path of pathsOf(def)) app.on(def.method, path.length > 1 ? path.replace(/\/+$/, "") : path, route);
  }
}

/**
 * Response validation (`SGP_VALIDATE_RESPONSES`, on in tests): a JSON success body must fit the route's declared
 * `response`, or the request fails with a 500 naming the route and the fields, so the docs cannot drift unnoticed.
 */
async function checkResponse(def: AnyFunctionDef, out: unknown): Promise<void> {
  if (!isSchema(def.response)) return;
  let body: unknown;
  if (out instanceof Response) {
    if (out.status < 200 || out.status >= 300 || !/json/i.test(out.headers.get("content-type") ?? "")) return;
    body = await out.clone().json();
  } else if (out === null || out === undefined || def.status === 204) return;
  else body = JSON.parse(JSON.stringify(out)); // what the wire carries (undefined keys dropped, dates as text)
  const issues = wireIssues(def.response, body);
  if (issues.length) throw new AppError(500, `Resposta de ${def.method} ${pathsOf(def)[0]} fora do esquema declarado: ${issues.join("; ")}`);
}
