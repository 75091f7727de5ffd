// The authorization matrix over EVERY mounted route (from the runtime's own list, whichever helper added it):
// no token, a bad token, an expired token, a revoked token, a user token and an admin token. A route added
// later without the right guard fails here.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SignJWT } from "jose";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { pathsOf, type Guard } from "../lib/function.ts";

const SECRET = new TextEncoder().encode("test-secret-key-with-enough-length-0123456789");
/**
 * The only routes anyone may call without a token (spec/decisions.md §1), and pages that hold no data: the
 * production board's shell and its script and stylesheet (its data comes from the guarded API).
 */
/** The API docs describe the API, not its data: public (API_DOCS=false turns them off). */
const DOCS = [
  "GET /docs",
  "GET /openapi.json",
  ...["swagger-ui.css", "swagger-ui-bundle.js", "sgp-docs.css", "sgp-docs.js"].map((f) => `GET /docs/${f}`),
];
const OPEN = new Set([
  "GET /",
  "GET /health",
  "POST /auth/login",
  "GET /painel",
  "GET /painel/painel.js",
  "GET /painel/painel.css",
  ...DOCS,
]);
const FORBIDDEN = "Ação permitida apenas para administradores.";
/** Public because an <img> carries no header: each must still refuse a call with neither a signature nor a token. */
const SIGNED_MEDIA = ["GET /pedidos/imagens/:id", "GET /pedidos/media/:path{.+}", "GET /fichas/imagens/:id"];

interface Route {
  method: string;
  path: string;
  url: string;
  guard: Guard;
}

let s: TestServer;
let routes: Route[];
let admin: { id: number; username: string };
let user: { id: number; username: string };
let expiredToken: string;
let revokedToken: string;

/** A concrete URL for a route pattern: every parameter becomes an id that does not exist. */
const concrete = (path: string) => path.replace(/:\w+(\{[^}]*\})?\??/g, "999999").replace(/\*/g, "999999");

// A fresh token per request: a POST /auth/logout in the walk must not revoke the token the next request uses.
const tokenOf = async (who: { id: number; username: string }) => (await s.deps.tokens.sign(who)).token;

beforeAll(async () => {
  s = await startTestServer();
  const u = await s.createUser("matriz-usuario", "senha-matriz-1");
  user = { id: u.id, username: "matriz-usuario" };
  const me = await s.request("GET", "/auth/me", { token: s.adminToken });
  admin = { id: me.body.user_id, username: me.body.username };
  expiredToken = await new SignJWT({ user_id: admin.id })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(admin.username)
    .setJti("matriz-expirado")
    .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
    .sign(SECRET);
  revokedToken = await tokenOf(admin);
  expect((await s.request("POST", "/auth/logout", { token: revokedToken })).status).toBe(200);

  routes = s.deps.routes
    .flatMap((def) => pathsOf(def).map((path) => ({ method: def.method, path, url: concrete(path), guard: def.guard as Guard })))
    .filter((r) => !r.path.startsWith("/__test"))
    .sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  console.log(
    `authorization matrix: ${routes.length} routes\n` +
      routes.map((r) => `  ${r.guard.padEnd(6)} ${r.method.padEnd(6)} ${r.path}`).join("\n"),
  );
});
afterAll(async () => s?.stop());

const call = (r: Route, token: string | null) =>
  s.request(r.method, r.url, { token, body: r.method === "POST" || r.method === "PATCH" || r.method === "PUT" ? {} : undefined });

const label = (r: Route, who: string, status: number) => `${r.method} ${r.path} [${r.guard}] as ${who} → ${status}`;

describe("authorization matrix", () => {
  it("knows the core routes (the list really comes from the runtime)", () => {
    const keys = routes.map((r) => `${r.method} ${r.path}`);
    for (const k of ["GET /", "GET /health", "POST /auth/login", "GET /auth/me", "GET /users", "DELETE /admin/users/:id"])
      expect(keys).toContain(k);
  });

  it("user management and every delete are admin only (spec/decisions.md §1)", () => {
    const adminOnly = routes.filter((r) => r.method === "DELETE" || /^\/(admin\/)?users(\/|$)/.test(r.path));
    expect(adminOnly.length).toBeGreaterThanOrEqual(10);
    for (const r of adminOnly) expect(r.guard, `${r.method} ${r.path}`).toBe("admin");
  });

  it("only GET /, GET /health, POST /auth/login, the board's page and the API docs are open; any other public route must still refuse anonymous calls", async () => {
    for (const r of routes.filter((x) => x.guard === "public")) {
      const res = await call(r, null);
      if (OPEN.has(`${r.method} ${r.path.replace(/\/$/, "") || "/"}`)) {
        expect(res.status, label(r, "nobody", res.status)).not.toBe(401);
      } else {
        // e.g. a signed media URL: its handler checks the signature instead of a token
        expect([401, 403], label(r, "nobody (no signature)", res.status)).toContain(res.status);
      }
    }
  });

  it("the signed media routes are mounted public and refuse an anonymous call", async () => {
    for (const key of SIGNED_MEDIA) {
      const r = routes.find((x) => `${x.method} ${x.path}` === key);
      expect(r, key).toBeDefined();
      expect(r!.guard, key).toBe("public");
      expect((await call(r!, null)).status, key).toBe(401);
    }
  });

  it("no token, a bad, an expired or a revoked token: 401 with WWW-Authenticate on every guarded route", async () => {
    const bad = [
      ["no token", null],
      ["garbage token", "nao-e-um-token"],
      ["expired token", expiredToken],
      ["revoked token", revokedToken],
    ] as const;
    for (const r of routes.filter((x) => x.guard !== "public")) {
      for (const [who, token] of bad) {
        const res = await call(r, token);
        expect(res.status, label(r, who, res.status)).toBe(401);
        expect(res.headers.get("www-authenticate"), label(r, who, res.status)).toBe("Bearer");
        expect(typeof res.body?.detail, label(r, who, res.status)).toBe("string");
      }
    }
  });

  it("public routes never answer 401 for a bad token", async () => {
    for (const r of routes.filter((x) => OPEN.has(`${x.method} ${x.path.replace(/\/$/, "") || "/"}`))) {
      const res = await call(r, "nao-e-um-token");
      expect(res.status, label(r, "garbage token", res.status)).not.toBe(401);
    }
  });

  it("a user token: 403 on admin routes, neither 401 nor 403 on user routes", async () => {
    const serverErrors: string[] = [];
    for (const r of routes.filter((x) => x.guard !== "public")) {
      const res = await call(r, await tokenOf(user));
      if (res.status >= 500) serverErrors.push(label(r, "user", res.status));
      if (r.guard === "admin") {
        expect(res.status, label(r, "user", res.status)).toBe(403);
        expect(res.body.detail).toBe(FORBIDDEN);
      } else {
        expect([401, 403], label(r, "user", res.status)).not.toContain(res.status);
      }
    }
    if (serverErrors.length) console.warn(`5xx answers for a user token (not an auth failure, but a bug):\n  ${serverErrors.join("\n  ")}`);
  });

  it("an admin token: neither 401 nor 403 anywhere", async () => {
    const serverErrors: string[] = [];
    for (const r of routes.filter((x) => x.guard !== "public")) {
      const res = await call(r, await tokenOf(admin));
      if (res.status >= 500) serverErrors.push(label(r, "admin", res.status));
      expect([401, 403], label(r, "admin", res.status)).not.toContain(res.status);
    }
    if (serverErrors.length)
      console.warn(`5xx answers for an admin token (not an auth failure, but a bug):\n  ${serverErrors.join("\n  ")}`);
  });

  it("CORS preflights succeed on every route without a token", async () => {
    for (const r of routes) {
      const res = await fetch(s.url + r.url, {
        method: "OPTIONS",
        headers: {
          origin: "http://localhost:1420",
          "access-control-request-method": r.method,
          "access-control-request-headers": "authorization,content-type",
        },
      });
      expect(res.status, `OPTIONS ${r.path}`).toBeLessThan(300);
    }
  });
});
