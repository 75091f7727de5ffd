// /openapi.json describes every operation fully: operationId, typed parameters in OpenAPI's path syntax, request
// body, the success schema from the declared `response`, the error answers it can give, servers, tags and the
// bearer scheme. Checked structurally here, and by Redocly CLI's own lint where that tool is on this machine.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { toJsonSchema, toJsonSchemaDefs } from "@valibot/to-json-schema";
import { functions } from "../runtime/functions.gen.ts";
import { buildOpenApi, errorStatusesOf, jsonSchemaConfig, operationIdOf, toOpenApiPath } from "../lib/openapi.ts";
import { isSchema, pathsOf, type AnyFunctionDef } from "../lib/function.ts";
import { namedSchemas } from "../lib/wire-schemas.ts";
// The order shapes, imported so the registry holds them whichever routes this file's build mounts.
import "../lib/orders/wire-schemas.ts";
import { VERSION } from "../lib/config.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";

type Json = Record<string, any>;

const doc = buildOpenApi(functions, VERSION) as Json;
const operations = Object.entries(doc.paths as Record<string, Json>).flatMap(([path, ops]) =>
  Object.entries(ops).map(([method, op]) => ({ path, method, op: op as Json })),
);
/** The definition behind each documented operation. */
const defOf = new Map<string, AnyFunctionDef>();
for (const def of functions) for (const p of pathsOf(def)) defOf.set(`${def.method.toLowerCase()} ${toOpenApiPath(p).path}`, def);
const def = (o: { path: string; method: string }) => defOf.get(`${o.method} ${o.path}`)!;

/** Resolves a local `$ref` (`#/components/...`) in the document. */
const resolve = (ref: string): unknown =>
  ref
    .slice(2)
    .split("/")
    .reduce<any>((node, key) => node?.[key.replace(/~1/g, "/").replace(/~0/g, "~")], doc);

function refsIn(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const x of node) refsIn(x, out);
  else if (node && typeof node === "object")
    for (const [k, x] of Object.entries(node))
      if (k === "$ref") out.push(x as string);
      else refsIn(x, out);
  return out;
}

describe("the generator's pieces", () => {
  it("turns Hono paths into OpenAPI templates (the regex of `:path{.+}` stays out of the path)", () => {
    expect(toOpenApiPath("/pedidos/media/:path{.+}")).toEqual({ path: "/pedidos/media/{path}", params: [{ name: "path", pattern: ".+" }] });
    expect(toOpenApiPath("/x/:id{\\d{1,3}}/y")).toEqual({ path: "/x/{id}/y", params: [{ name: "id", pattern: "\\d{1,3}" }] });
    expect(toOpenApiPath("/pedidos/")).toEqual({ path: "/pedidos", params: [] });
    expect(toOpenApiPath("/")).toEqual({ path: "/", params: [] });
  });

  it("derives a readable operationId from method and path", () => {
    expect(operationIdOf("GET", "/users/:id")).toBe("getUsersById");
    expect(operationIdOf("PATCH", "/api/notificacoes/:notification_id/read")).toBe("patchApiNotificacoesByNotificationIdRead");
    expect(operationIdOf("GET", "/pedidos/media/:path{.+}")).toBe("getPedidosMediaByPath");
    expect(operationIdOf("GET", "/")).toBe("getRoot");
  });

  it("derives the error answers from the definition's shape, plus the declared ones", () => {
    const base = { summary: "x", run: () => null };
    expect(errorStatusesOf({ ...base, method: "GET", path: "/a", guard: "public" })).toEqual([]);
    expect(errorStatusesOf({ ...base, method: "GET", path: "/a/:id", guard: "user", params: {} as never })).toEqual([401, 404]);
    expect(errorStatusesOf({ ...base, method: "POST", path: "/a", guard: "admin", body: {} as never, errors: [409] })).toEqual([
      401, 403, 409, 413, 415, 422,
    ]);
    expect(errorStatusesOf({ ...base, method: "POST", path: "/a", guard: "user", body: "multipart" })).toEqual([400, 401, 413, 415]);
  });
});

describe("/openapi.json", () => {
  it("is OpenAPI 3.1 with a relative server, the bearer scheme as the default security, and tags with descriptions", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info).toMatchObject({ title: expect.any(String), version: VERSION, license: { name: expect.any(String) } });
    expect(doc.servers).toEqual([{ url: "/", description: expect.any(String) }]);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer", bearerFormat: "JWT" });
    expect(doc.security).toEqual([{ bearer: [] }]);
    const declared = new Set((doc.tags as Json[]).map((t) => t.name));
    for (const t of doc.tags as Json[]) expect(t.description, t.name).toMatch(/\S/);
    for (const { op, path } of operations) for (const t of op.tags) expect(declared.has(t), `${path}: tag ${t}`).toBe(true);
  });

  it("documents every mounted route, each once, with a unique operationId", () => {
    const expected = functions.flatMap((d) => pathsOf(d).map((p) => `${d.method.toLowerCase()} ${toOpenApiPath(p).path}`));
    expect(operations.map((o) => `${o.method} ${o.path}`).sort()).toEqual([...new Set(expected)].sort());
    const ids = operations.map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    // A suffix (`_2`) would mean two routes clashed on one derived id.
    for (const id of ids) expect(id).toMatch(/^[a-z][A-Za-z0-9]*$/);
  });

  it("uses OpenAPI's path syntax, and each template parameter is a required path parameter (ids are integers)", () => {
    for (const { path, op } of operations) {
      expect(path, path).not.toMatch(/:|\}\{|\{\./);
      expect(path === "/" || !path.endsWith("/"), path).toBe(true);
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = (op.parameters ?? []).filter((p: Json) => p.in === "path");
      expect(
        declared.map((p: Json) => p.name),
        path,
      ).toEqual(inPath);
      for (const p of declared) expect(p.required, `${path} ${p.name}`).toBe(true);
      // notification_id is a UUID; every other id is a database id.
      for (const p of declared.filter((p: Json) => /(^|_)id$/.test(p.name) && p.name !== "notification_id"))
        expect(p.schema.type, `${path} ${p.name}`).toBe("integer");
    }
    expect(doc.paths["/pedidos/media/{path}"]?.get.parameters[0]).toMatchObject({
      name: "path",
      in: "path",
      description: expect.stringContaining("/"),
    });
  });

  it("types query parameters from the valibot schemas", () => {
    const q = (path: string, name: string) => (doc.paths[path].get.parameters as Json[]).find((p) => p.name === name)!;
    expect(q("/fichas", "limit")).toMatchObject({
      in: "query",
      required: false,
      schema: { type: "integer", minimum: 1, maximum: 1000, default: 100 },
    });
    expect(q("/materiais/estatisticas/uso", "incluir_sem_uso").schema).toEqual({ type: "boolean", default: false });
    expect(q("/materiais/estatisticas/uso", "ordem").schema).toMatchObject({ type: "string", enum: ["mais", "menos"] });
    expect(q("/reposicoes", "order_id").schema).toMatchObject({ type: "integer" });
    expect(q("/api/notificacoes/designer", "include_read").schema.enum).toEqual(["true", "false", "1", "0"]);
  });

  it("gives every operation its request body, success response and the errors it can answer", () => {
    for (const o of operations) {
      const d = def(o);
      const where = `${o.method.toUpperCase()} ${o.path}`;
      const status = String(d.status ?? 200);
      expect(Object.keys(o.op.responses), where).toContain(status);
      const success = o.op.responses[status];
      if (status === "204") expect(success.content, where).toBeUndefined();
      else if (isSchema(d.response)) expect(success.content["application/json"].schema, where).toBeTruthy();
      else if (d.response) expect(Object.keys(success.content), where).toEqual([d.response.mediaType]);
      if (d.body === "multipart") expect(o.op.requestBody.content["multipart/form-data"], where).toBeTruthy();
      else if (d.body) expect(o.op.requestBody.content["application/json"].schema, where).toBeTruthy();
      else expect(o.op.requestBody, where).toBeUndefined();
      const errors = Object.keys(o.op.responses).filter((s) => s >= "400");
      expect(errors, where).toEqual(
        errorStatusesOf(
          d,
          pathsOf(d).find((p) => toOpenApiPath(p).path === o.path),
        ).map(String),
      );
      if (d.guard !== "public") expect(errors, where).toContain("401");
      if (d.guard === "admin") expect(errors, where).toContain("403");
      if (d.body && d.body !== "multipart") expect(errors, where).toEqual(expect.arrayContaining(["413", "415", "422"]));
      // Public routes need no token, except the image routes that take a signed URL instead of one.
      if (d.guard === "public")
        expect(o.op.security, where).toEqual(
          o.op.parameters?.some((p: Json) => p.name === "sig") ? [{ signedUrl: [] }, { bearer: [] }] : [],
        );
      else expect(o.op.security, where).toBeUndefined();
    }
  });

  it("renders 422 in FastAPI's shape and every other error as {detail: string}", () => {
    const responses = doc.components.responses as Record<string, Json>;
    expect(responses.ValidationError.content["application/json"].schema).toEqual({ $ref: "#/components/schemas/HTTPValidationError" });
    for (const [name, r] of Object.entries(responses))
      if (name !== "ValidationError")
        expect(r.content["application/json"].schema, name).toEqual({ $ref: "#/components/schemas/HTTPError" });
    expect(doc.components.schemas.HTTPError).toMatchObject({
      type: "object",
      properties: { detail: { type: "string" } },
      required: ["detail"],
    });
    expect(doc.components.schemas.ValidationError).toMatchObject({ required: ["loc", "msg", "type"] });
    expect(responses.Unauthorized.headers["WWW-Authenticate"]).toBeTruthy();
  });

  it("resolves every $ref, lists only the components it uses, and names shared shapes once", () => {
    for (const ref of refsIn(doc)) expect(resolve(ref), ref).toBeTruthy();
    const used = new Set(
      refsIn(doc)
        .filter((r) => r.startsWith("#/components/schemas/"))
        .map((r) => r.split("/").pop()),
    );
    expect(Object.keys(doc.components.schemas).sort()).toEqual([...used].sort());
    expect(doc.paths["/users"].get.responses["200"].content["application/json"].schema).toEqual({
      type: "array",
      items: { $ref: "#/components/schemas/UserRead" },
    });
    expect(doc.paths["/clientes/{id}"].get.responses["200"].content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/Cliente",
    });
  });

  it("documents money in the shared shapes as a '1234.56' string, never null", () => {
    const money = toJsonSchema(namedSchemas().get("Money")!, jsonSchemaConfig("throw"));
    expect(money).toMatchObject({ type: "string", pattern: "^-?\\d+\\.\\d{2}$" });
    const pedido = toJsonSchemaDefs(Object.fromEntries(namedSchemas()), jsonSchemaConfig("throw")).PedidoResponse as Json;
    for (const f of ["valor_total", "valor_frete", "valor_itens"])
      expect(pedido.properties[f], f).toEqual({ $ref: "#/components/schemas/Money" });
  });

  it("every declared response schema converts to JSON Schema without losing a rule", () => {
    for (const d of functions) {
      if (isSchema(d.response))
        expect(() => toJsonSchema(d.response as never, jsonSchemaConfig("throw")), `${d.method} ${pathsOf(d)[0]}`).not.toThrow();
    }
    for (const [name, schema] of namedSchemas()) expect(() => toJsonSchema(schema, jsonSchemaConfig("throw")), name).not.toThrow();
  });
});

describe("served", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => s?.stop());

  it("GET /openapi.json answers the generated document, without a token", async () => {
    const r = await s.request("GET", "/openapi.json", { token: null });
    expect(r.status).toBe(200);
    expect(r.body).toEqual(JSON.parse(JSON.stringify(buildOpenApi(s.deps.routes, VERSION))));
  });

  /** Redocly CLI from the project's node_modules or npx's cache: never downloaded by a test (no network). */
  const redocly = (() => {
    const local = join(process.cwd(), "node_modules", "@redocly", "cli", "bin", "cli.js");
    if (existsSync(local)) return [process.execPath, local];
    const npx = join(homedir(), ".npm", "_npx");
    if (!existsSync(npx)) return null;
    for (const dir of readdirSync(npx)) {
      const bin = join(npx, dir, "node_modules", "@redocly", "cli", "bin", "cli.js");
      if (existsSync(bin)) return [process.execPath, bin];
    }
    return null;
  })();

  it.skipIf(!redocly)("passes Redocly CLI's recommended lint with no error", async () => {
    const r = await s.request("GET", "/openapi.json", { token: s.adminToken });
    const dir = mkdtempSync(join(tmpdir(), "sgp-openapi-"));
    try {
      writeFileSync(join(dir, "openapi.json"), r.text);
      const run = spawnSync(redocly![0], [redocly![1], "lint", "openapi.json", "--format=json"], {
        cwd: dir,
        encoding: "utf8",
        timeout: 60_000,
        env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" },
      });
      const report = JSON.parse(run.stdout.slice(run.stdout.indexOf("{"))) as {
        totals: { errors: number; warnings: number };
        problems: { ruleId: string; message: string; severity: string }[];
      };
      const lines = report.problems.map((p) => `  ${p.severity} ${p.ruleId}: ${p.message}`);
      console.log(`Redocly lint: ${report.totals.errors} errors, ${report.totals.warnings} warnings\n${lines.join("\n")}`);
      expect(report.problems.filter((p) => p.severity === "error")).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
