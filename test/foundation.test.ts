import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gunzipSync } from "node:zlib";
import { request as httpRequest } from "node:http";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { defineFunction } from "../lib/function.ts";
import * as v from "valibot";

let resolveSlow: (() => void) | null = null;
const extra = [
  defineFunction({
    method: "GET",
    path: "/__test/boom",
    guard: "public",
    summary: "throws",
    run: () => {
      throw new Error("secret internal detail");
    },
  }),
  defineFunction({
    method: "GET",
    path: "/__test/slow",
    guard: "public",
    summary: "waits",
    run: () =>
      new Promise((r) => {
        resolveSlow = () => r({ finished: true });
      }),
  }),
  defineFunction({ method: "GET", path: "/__test/colecao/", guard: "public", summary: "declared with a slash", run: () => ({ ok: true }) }),
  defineFunction({
    method: "POST",
    path: "/__test/echo",
    guard: "public",
    summary: "echo",
    body: v.object({ n: v.number() }),
    run: (_ctx, { body }) => ({ n: body.n, big: "x".repeat(body.n) }),
  }),
];

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ extraFunctions: extra, env: { MAX_BODY_MB: "0.05" } });
});
afterAll(async () => s?.stop());

describe("root and health", () => {
  it("GET / answers the original's banner", async () => {
    const r = await s.request("GET", "/");
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      message: "API Sistema de Fichas",
      version: JSON.parse(readFileSync("package.json", "utf8")).version,
      docs: "/docs",
    });
  });

  it("GET /health and /health/ answer ok without a token, with request id and timing headers", async () => {
    for (const path of ["/health", "/health/"]) {
      const r = await s.request("GET", path);
      expect(r.status).toBe(200);
      expect(r.body.status).toBe("ok");
      expect(r.body.checks).toMatchObject({ api: "ok", database: "ok", database_write: "ok", media: "ok" });
      expect(r.headers.get("x-request-id")).toMatch(/.{8,}/);
      expect(r.headers.get("x-process-time")).toMatch(/^\d+\.\d{3}$/);
    }
  });
});

describe("both slash forms", () => {
  it("a route declared with a trailing slash answers both forms, without a redirect", async () => {
    for (const path of ["/__test/colecao", "/__test/colecao/"]) {
      const r = await s.request("GET", path);
      expect(r.status, path).toBe(200);
    }
  });
});

describe("errors are JSON with detail, never a 500 for bad input", () => {
  it("unknown route: 404 with detail", async () => {
    const r = await s.request("GET", "/nao-existe", { token: s.adminToken });
    expect(r.status).toBe(404);
    expect(typeof r.body.detail).toBe("string");
  });

  it("malformed JSON: 422 in FastAPI's array shape", async () => {
    const r = await s.request("POST", "/__test/echo", { raw: "{not json", headers: { "content-type": "application/json" } });
    expect(r.status).toBe(422);
    expect(r.body.detail[0]).toMatchObject({ type: "json_invalid", loc: ["body"] });
  });

  it("JSON without a content type still parses (the body is read by the runtime, not by the header)", async () => {
    const r = await s.request("POST", "/__test/echo", { raw: '{"n": 3}' });
    expect(r.status).toBe(200);
    expect(r.body.n).toBe(3);
  });

  it("a form content type on a JSON route: 415 with detail", async () => {
    const r = await s.request("POST", "/__test/echo", { raw: "n=3", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(r.status).toBe(415);
    expect(typeof r.body.detail).toBe("string");
  });

  it("schema violations: 422 with loc, msg and type", async () => {
    const r = await s.request("POST", "/__test/echo", { body: { n: "three" } });
    expect(r.status).toBe(422);
    expect(r.body.detail[0].loc).toEqual(["body", "n"]);
    expect(typeof r.body.detail[0].msg).toBe("string");
  });

  it("an oversized body: 413 with detail (declared length and chunked)", async () => {
    const big = JSON.stringify({ n: 1, pad: "x".repeat(100_000) });
    const r = await s.request("POST", "/__test/echo", { raw: big, headers: { "content-type": "application/json" } });
    expect(r.status).toBe(413);
    expect(r.body.detail).toMatch(/limite/);
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 20; i++) c.enqueue(new TextEncoder().encode("x".repeat(10_000)));
        c.close();
      },
    });
    const res = await fetch(`${s.url}/__test/echo`, { method: "POST", body: stream, duplex: "half" } as RequestInit);
    expect(res.status).toBe(413);
  });

  it("an unexpected fault: 500 with a generic message and the request id, no internals", async () => {
    const r = await s.request("GET", "/__test/boom");
    expect(r.status).toBe(500);
    expect(r.text).not.toContain("secret internal detail");
    expect(r.body.detail).toContain(r.headers.get("x-request-id"));
  });
});

describe("CORS and compression", () => {
  it("preflight succeeds on any path with the client's headers", async () => {
    const res = await fetch(`${s.url}/qualquer/caminho`, {
      method: "OPTIONS",
      headers: {
        origin: "http://tauri.localhost",
        "access-control-request-method": "PATCH",
        "access-control-request-headers": "authorization,ngrok-skip-browser-warning,x-silent-request,content-type",
      },
    });
    expect(res.status).toBeLessThan(300);
    expect(res.headers.get("access-control-allow-origin")).toBe("http://tauri.localhost");
    const allowed = res.headers.get("access-control-allow-headers") ?? "";
    for (const h of ["authorization", "content-type", "ngrok-skip-browser-warning", "x-silent-request"]) expect(allowed).toContain(h);
  });

  it("errors carry CORS headers too (a CORS-less 401 looks like 'server down' to the client)", async () => {
    const res = await fetch(`${s.url}/auth/me`, { headers: { origin: "tauri://localhost" } });
    expect(res.status).toBe(401);
    expect(res.headers.get("access-control-allow-origin")).toBe("tauri://localhost");
  });

  it("large JSON is gzipped when accepted (a small one is not worth the CPU)", async () => {
    const echo = (n: number) =>
      new Promise<{ enc: string | undefined; buf: Buffer }>((resolve, reject) => {
        const u = new URL(`${s.url}/__test/echo`);
        const req = httpRequest(
          {
            host: u.hostname,
            port: u.port,
            path: u.pathname,
            method: "POST",
            headers: { "accept-encoding": "gzip", "content-type": "application/json" },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c) => chunks.push(c));
            res.on("end", () => resolve({ enc: res.headers["content-encoding"], buf: Buffer.concat(chunks) }));
          },
        );
        req.on("error", reject);
        req.end(JSON.stringify({ n }));
      });
    const body = await echo(20_000);
    expect(body.enc).toBe("gzip");
    expect(JSON.parse(gunzipSync(body.buf).toString()).big).toHaveLength(20_000);
    const small = await echo(5_000);
    expect(small.enc).toBeUndefined();
    expect(JSON.parse(small.buf.toString()).big).toHaveLength(5_000);
  });
});

describe("docs", () => {
  it("/openapi.json is public and lists every mounted route with its guard", async () => {
    const r = await s.request("GET", "/openapi.json", { token: null });
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe("3.1.0");
    expect(r.body.paths["/auth/login"].post["x-guard"]).toBe("public");
    expect(r.body.paths["/auth/login"].post.requestBody.content["application/json"].schema.properties).toHaveProperty("username");
    for (const def of s.deps.routes) {
      for (const p of Array.isArray(def.path) ? def.path : [def.path]) {
        // OpenAPI's path syntax: `:id` → `{id}`, no `{.+}` pattern, no trailing slash (both forms are served).
        const oaPath = p.replace(/:(\w+)(\{[^}]*\})?/g, "{$1}").replace(/(.)\/$/, "$1");
        expect(r.body.paths[oaPath]?.[def.method.toLowerCase()], `${def.method} ${p}`).toBeTruthy();
      }
    }
  });

  it("/docs is the explorer's page, public (test/docs-explorer.test.ts opens it in a browser)", async () => {
    const r = await s.request("GET", "/docs", { token: null });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toContain("text/html");
    expect(r.text).toContain("/openapi.json");
    expect(r.text).toContain("/docs/swagger-ui-bundle.js?v=");
  });
});

describe("graceful shutdown", () => {
  it("finishes an in-flight request, then refuses new connections and closes the database", async () => {
    const other = await startTestServer({ extraFunctions: extra });
    const inflight = fetch(`${other.url}/__test/slow`).then((r) => r.json());
    await new Promise((r) => setTimeout(r, 100));
    const closing = other.close(5_000);
    await new Promise((r) => setTimeout(r, 100));
    resolveSlow!();
    expect(await inflight).toEqual({ finished: true });
    await closing;
    await expect(fetch(`${other.url}/health`)).rejects.toThrow();
    expect(() => other.deps.db.raw.prepare("SELECT 1").get()).toThrow();
    await other.stop();
  });
});
