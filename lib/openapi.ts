import { toJsonSchema } from "@valibot/to-json-schema";
import type { GenericSchema } from "valibot";
import type { AnyFunctionDef } from "./function.ts";
import { pathsOf } from "./function.ts";

const schemaOf = (s: unknown) => {
  try {
    return toJsonSchema(s as GenericSchema, { errorMode: "ignore" }) as Record<string, unknown>;
  } catch {
    return {};
  }
};

/** OpenAPI 3.1 from the definitions themselves: paths, guards, schemas. Every endpoint added documents itself. */
export function buildOpenApi(defs: readonly AnyFunctionDef[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const def of defs) {
    for (const path of pathsOf(def)) {
      const oaPath = path.replace(/:(\w+)/g, "{$1}");
      const params: unknown[] = [];
      for (const name of [...path.matchAll(/:(\w+)/g)].map((m) => m[1])) params.push({ name, in: "path", required: true, schema: { type: "string" } });
      if (def.query) {
        const js = schemaOf(def.query) as { properties?: Record<string, unknown>; required?: string[] };
        for (const [name, schema] of Object.entries(js.properties ?? {})) params.push({ name, in: "query", required: js.required?.includes(name) ?? false, schema });
      }
      const op: Record<string, unknown> = {
        summary: def.summary,
        tags: def.tags ?? [],
        "x-guard": def.guard,
        security: def.guard === "public" ? [] : [{ bearer: [] }],
        parameters: params,
        responses: {
          [String(def.status ?? 200)]: { description: "OK" },
          ...(def.guard !== "public" ? { 401: { description: "Token ausente, inválido, expirado ou revogado" } } : {}),
          ...(def.guard === "admin" ? { 403: { description: "Ação permitida apenas para administradores." } } : {}),
          ...(def.body ? { 422: { description: "Erro de validação (formato FastAPI)" } } : {}),
        },
      };
      if (def.body === "multipart") op.requestBody = { content: { "multipart/form-data": { schema: { type: "object" } } } };
      else if (def.body) op.requestBody = { required: true, content: { "application/json": { schema: schemaOf(def.body) } } };
      (paths[oaPath] ??= {})[def.method.toLowerCase()] = op;
    }
  }
  return {
    openapi: "3.1.0",
    info: { title: "SGP — Sistema de Gestão de Produção", version },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } } },
    paths,
  };
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

/** A self-contained docs page (no CDN: the shop's LAN may have no internet). */
export function docsPage(doc: Record<string, unknown>): string {
  const rows: string[] = [];
  for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, { summary: string; "x-guard": string }>>)) {
    for (const [method, op] of Object.entries(ops)) {
      rows.push(`<tr><td><b>${method.toUpperCase()}</b></td><td><code>${esc(path)}</code></td><td>${esc(op["x-guard"])}</td><td>${esc(op.summary)}</td></tr>`);
    }
  }
  return `<!doctype html><html lang="pt-BR"><head><meta charset="utf-8"><title>SGP API</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}</style>
</head><body><h1>SGP API ${esc(String((doc.info as { version: string }).version))}</h1>
<p>Especificação completa: <a href="/openapi.json">/openapi.json</a>. Autenticação: <code>Authorization: Bearer &lt;session_token&gt;</code> de <code>POST /auth/login</code>.</p>
<table><tr><th>Método</th><th>Caminho</th><th>Acesso</th><th>Resumo</th></tr>${rows.join("")}</table></body></html>`;
}
