import { toJsonSchemaDefs, type ConversionConfig } from "@valibot/to-json-schema";
import type { GenericSchema } from "valibot";
import { isSchema, pathsOf, type AnyFunctionDef, type ErrorStatus, type Method } from "./function.ts";
import { namedSchemas } from "./wire-schemas.ts";

/**
 * OpenAPI 3.1 from the definitions themselves: every mounted definition documents itself (paths, guards, the
 * valibot schemas of its input and of its success body, the errors it can give).
 *
 * Schemas go through `@valibot/to-json-schema` (the valibot team's converter, already what validates the input):
 * the document is generated from the very objects the runtime validates with, so there is no second description
 * to keep in step. Named wire schemas (`lib/wire-schemas.ts` `named`) become `components.schemas` and `$ref`s.
 * Input schemas are converted in `input` mode (what a client sends, before valibot's transforms).
 */

type Json = Record<string, unknown>;

const COMPONENT_SCHEMAS = "#/components/schemas/";

/** The converter's settings; `errorMode` is "ignore" when serving (a check it cannot express is left out). */
export const jsonSchemaConfig = (errorMode: ConversionConfig["errorMode"] = "ignore"): ConversionConfig => ({
  target: "draft-2020-12",
  typeMode: "input",
  errorMode,
  overrideRef: ({ referenceId }) => COMPONENT_SCHEMAS + referenceId,
});

/** Tag descriptions (the explorer's sections). A tag missing here still gets one, from its name. */
const TAG_DESCRIPTIONS: Record<string, string> = {
  sistema: "Identificação do servidor, saúde e esta documentação",
  auth: "Login, sessão atual, logout e troca de senha",
  usuários: "Gestão de usuários (administradores); `/admin/users` é a forma legada",
  pedidos: "Pedidos e seus itens",
  imagens: "Arquivos de imagem: URL assinada (`exp`, `sig`, como devolvida nas respostas) ou token",
  notificacoes: "Notificações de arte e o último evento (alternativa ao WebSocket)",
  clientes: "Cadastro de clientes",
  designers: "Cadastro de designers e o painel de artes",
  vendedores: "Cadastro de vendedores",
  "tipos-envios": "Formas de envio",
  "tipos-pagamentos": "Formas de pagamento",
  materiais: "Cadastro de materiais e estatísticas de uso",
  producoes: "Tipos de produção",
  maquinas: "Máquinas e a fila de cada uma",
  "print-logs": "Histórico de impressões",
  fichas: "Fichas de produção e seus templates",
  reposicoes: "Reposições (reimpressões) de pedidos",
};

const TAG_ORDER = Object.keys(TAG_DESCRIPTIONS);

/** The shared error answers, by status: name in `components.responses`, description, body schema. */
const ERROR_RESPONSES: Record<ErrorStatus, { name: string; description: string; schema: string; headers?: Json }> = {
  400: { name: "BadRequest", description: "Recusado por uma regra (a mensagem em `detail` diz qual)", schema: "HTTPError" },
  401: {
    name: "Unauthorized",
    description: "Token ausente, inválido, expirado ou revogado (ou, numa imagem, assinatura inválida)",
    schema: "HTTPError",
    headers: { "WWW-Authenticate": { description: "`Bearer`", schema: { type: "string" } } },
  },
  403: { name: "Forbidden", description: "Ação permitida apenas para administradores", schema: "HTTPError" },
  404: { name: "NotFound", description: "Não encontrado (um id fora do formato numérico também é 404)", schema: "HTTPError" },
  409: {
    name: "Conflict",
    description: "Conflito com o estado atual (por exemplo, um cadastro ainda usado por pedidos)",
    schema: "HTTPError",
  },
  413: { name: "PayloadTooLarge", description: "Corpo da requisição ou imagem acima do limite", schema: "HTTPError" },
  415: {
    name: "UnsupportedMediaType",
    description: "Content-Type incompatível com a rota (JSON ou multipart/form-data)",
    schema: "HTTPError",
  },
  422: { name: "ValidationError", description: "Erro de validação, no formato do FastAPI", schema: "HTTPValidationError" },
  429: {
    name: "TooManyRequests",
    description: "Tentativas demais; tente de novo depois de `Retry-After` segundos",
    schema: "HTTPError",
    headers: { "Retry-After": { description: "Segundos até a próxima tentativa", schema: { type: "integer" } } },
  },
  503: { name: "ServiceUnavailable", description: "Banco de dados ou disco indisponível no momento", schema: "HTTPError" },
  507: { name: "InsufficientStorage", description: "Disco do servidor cheio", schema: "HTTPError" },
};

/** The statuses a definition can answer with besides its success, derived from its shape plus its `errors`. */
export function errorStatusesOf(def: AnyFunctionDef, path = pathsOf(def)[0]): ErrorStatus[] {
  const out = new Set<ErrorStatus>(def.errors ?? []);
  if (def.guard !== "public") out.add(401);
  if (def.guard === "admin") out.add(403);
  // A path parameter that fails its schema is a 404 with a string detail (runtime/input.ts).
  if (def.params && /:\w/.test(path)) out.add(404);
  if (def.body) for (const s of [413, 415] as const) out.add(s);
  if (def.body === "multipart") out.add(400);
  else if (def.body || def.query) out.add(422);
  return [...out].sort((a, b) => a - b);
}

const pascal = (s: string) =>
  s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join("");

/**
 * The operationId derived from method and path: the method, then each segment in PascalCase, a parameter as
 * `By<Name>`. Stable as long as the route is.
 * @example operationIdOf("GET", "/users/:id") // "getUsersById"
 * @example operationIdOf("PATCH", "/api/notificacoes/:notification_id/read") // "patchApiNotificacoesByNotificationIdRead"
 */
export function operationIdOf(method: Method, path: string): string {
  const words = path
    .split("/")
    .filter(Boolean)
    .map((seg) => (seg.startsWith(":") ? `By${pascal(seg.slice(1).replace(/\{.*$/, ""))}` : pascal(seg)));
  return method.toLowerCase() + (words.join("") || "Root");
}

interface PathParam {
  name: string;
  /** Hono's pattern for the parameter (`.+` in `:path{.+}`), when it has one. */
  pattern?: string;
}

/**
 * A Hono path in OpenAPI's syntax: `:id` → `{id}`, `:path{.+}` → `{path}` (the pattern goes to the parameter's
 * description: OpenAPI templates have none), the trailing slash dropped (both forms are served).
 * @example toOpenApiPath("/pedidos/media/:path{.+}") // { path: "/pedidos/media/{path}", params: [{ name: "path", pattern: ".+" }] }
 */
export function toOpenApiPath(path: string): { path: string; params: PathParam[] } {
  const params: PathParam[] = [];
  const converted = path.replace(/:(\w+)(?:\{((?:[^{}]|\{[^{}]*\})*)\})?\??/g, (_m, name: string, pattern?: string) => {
    params.push(pattern ? { name, pattern } : { name });
    return `{${name}}`;
  });
  return { path: converted.length > 1 ? converted.replace(/\/+$/, "") : converted, params };
}

/** The object schema inside a query or body definition (a leading `custom` guard in a pipe is skipped). */
function unwrapGuard(schema: GenericSchema): GenericSchema {
  const pipe = (schema as { pipe?: GenericSchema[] }).pipe;
  if (pipe && pipe[0]?.type === "custom" && pipe.slice(1).some((item) => item.kind === "schema")) {
    // note: `input` mode stops at a pipe's second schema, so `pipe(custom(isObject), object(...))` would document
    // nothing; the guard only refuses non-objects, which the object's type already says.
    return { ...schema, pipe: pipe.slice(1) } as GenericSchema;
  }
  return schema;
}

const DIGITS = new Set(["^\\d+$", "^-?\\d+$", "^\\d{1,15}$"]);

/**
 * A parameter's schema as a client reads it: a digits-only string (path ids, `limit`, `skip`) is an integer, a
 * boolean's default a boolean. Query values are strings on the wire; OpenAPI's types say how they are read.
 */
function asParameterSchema(schema: Json): Json {
  const out = { ...schema };
  if (out.type === "string" && typeof out.pattern === "string" && DIGITS.has(out.pattern)) {
    out.type = "integer";
    if (!out.pattern.includes("-")) out.minimum = Math.max(Number(out.minimum ?? 0), 0);
    delete out.pattern;
    if (typeof out.default === "string") out.default = Number(out.default);
  }
  if (out.type === "boolean" && typeof out.default === "string") out.default = out.default === "true" || out.default === "1";
  return out;
}

/** State of one document build: every schema already converted (by identity) and the operationIds taken. */
interface Build {
  converted: Map<GenericSchema, Json>;
  operationIds: Set<string>;
}

const INPUT_KEY = "__sgp_input_";

/**
 * Converts, in ONE pass of the converter, the named wire schemas and every schema the definitions use (path,
 * query, body, response). One pass matters: the converter re-converts all its `definitions` on every call, and a
 * call per schema made the first `/openapi.json` block the event loop for most of a second.
 * Returns the JSON Schema of each definition schema (by identity) and of each named one.
 */
function convertAll(defs: readonly AnyFunctionDef[]): { converted: Map<GenericSchema, Json>; components: Record<string, Json> } {
  const named = namedSchemas();
  const nameOf = new Map([...named].map(([name, schema]) => [schema, name]));
  const all: Record<string, GenericSchema> = Object.fromEntries(named);
  const keyOf = new Map<GenericSchema, string>();
  for (const def of defs) {
    for (const schema of [def.params, def.query, def.body, def.response]) {
      if (!isSchema(schema) || nameOf.has(schema) || keyOf.has(schema)) continue;
      const key = `${INPUT_KEY}${keyOf.size}`;
      keyOf.set(schema, key);
      all[key] = unwrapGuard(schema);
    }
  }
  const json = tidy(toJsonSchemaDefs(all, jsonSchemaConfig())) as Record<string, Json>;
  // A definition's schema nested inside another one was referenced by its synthetic key: inline it again.
  const inline = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(inline);
    if (!node || typeof node !== "object") return node;
    const ref = (node as Json).$ref;
    if (typeof ref === "string" && ref.startsWith(COMPONENT_SCHEMAS + INPUT_KEY)) return inline(json[ref.slice(COMPONENT_SCHEMAS.length)]);
    return Object.fromEntries(Object.entries(node).map(([k, x]) => [k, inline(x)]));
  };
  const converted = new Map<GenericSchema, Json>();
  for (const [schema, key] of keyOf) converted.set(schema, inline(json[key]) as Json);
  for (const [schema, name] of nameOf) converted.set(schema, { $ref: COMPONENT_SCHEMAS + name });
  const components = Object.fromEntries([...named.keys()].map((name) => [name, inline(json[name]) as Json]));
  return { converted, components };
}

function convert(build: Build, schema: GenericSchema): Json {
  const js = build.converted.get(schema);
  if (!js) throw new Error("schema not collected by convertAll");
  return structuredClone(js);
}

/** Reads better, means the same: no empty `required`, nested `anyOf`s (a nullable union) flattened. */
function tidy(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(tidy);
  if (!node || typeof node !== "object") return node;
  const out: Json = {};
  for (const [k, x] of Object.entries(node)) out[k] = tidy(x);
  if (Array.isArray(out.required) && out.required.length === 0) delete out.required;
  if (Array.isArray(out.anyOf)) {
    out.anyOf = (out.anyOf as Json[]).flatMap((s) =>
      s && Object.keys(s).length === 1 && Array.isArray(s.anyOf) ? (s.anyOf as Json[]) : [s],
    );
  }
  return out;
}

/** The properties of an object schema (a query) as OpenAPI parameters. */
function queryParameters(build: Build, query: GenericSchema): Json[] {
  const js = convert(build, query) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, schema]) => {
    const { description, ...rest } = schema;
    return {
      name,
      in: "query",
      required: js.required?.includes(name) ?? false,
      ...(typeof description === "string" ? { description } : {}),
      schema: asParameterSchema(rest),
    };
  });
}

function pathParameters(build: Build, def: AnyFunctionDef, params: PathParam[]): Json[] {
  const props = def.params ? ((convert(build, def.params) as { properties?: Record<string, Json> }).properties ?? {}) : {};
  return params.map(({ name, pattern }) => {
    const schema = asParameterSchema(props[name] ?? { type: "string" });
    const { description, ...rest } = schema;
    const note =
      pattern === ".+" || pattern === ".*" ? "Pode conter `/`: é o resto do caminho." : pattern ? `Formato: \`${pattern}\`.` : undefined;
    const text = [description, note].filter((x): x is string => typeof x === "string").join(" ");
    return { name, in: "path", required: true, ...(text ? { description: text } : {}), schema: rest };
  });
}

/** A public route that checks a URL signature (`?exp=…&sig=…`) instead of the guard: the image routes. */
const takesSignature = (build: Build, def: AnyFunctionDef) =>
  !!def.query && "sig" in ((convert(build, def.query) as { properties?: Json }).properties ?? {});

function successResponse(build: Build, def: AnyFunctionDef): Json {
  const status = def.status ?? 200;
  if (status === 204) return { description: "Sem conteúdo" };
  const r = def.response;
  if (isSchema(r)) return { description: "Sucesso", content: { "application/json": { schema: convert(build, r) } } };
  if (r) {
    const schema = r.mediaType.startsWith("text/") ? { type: "string" } : { type: "string", contentMediaType: r.mediaType };
    return { description: r.description ?? "Sucesso", content: { [r.mediaType]: { schema } } };
  }
  return { description: "Sucesso (formato da resposta ainda não declarado)" };
}

function operation(build: Build, def: AnyFunctionDef, path: string, index: number): { path: string; op: Json } {
  const oa = toOpenApiPath(path);
  let operationId = index === 0 && def.operationId ? def.operationId : operationIdOf(def.method, path);
  for (let n = 2; build.operationIds.has(operationId); n++) operationId = `${operationIdOf(def.method, path)}_${n}`;
  build.operationIds.add(operationId);

  const responses: Json = { [String(def.status ?? 200)]: successResponse(build, def) };
  const errors = errorStatusesOf(def, path);
  for (const status of errors) responses[String(status)] = { $ref: `#/components/responses/${ERROR_RESPONSES[status].name}` };

  const op: Json = {
    operationId,
    summary: def.summary,
    ...(def.description ? { description: def.description } : {}),
    tags: def.tags?.length ? def.tags : ["sistema"],
    "x-guard": def.guard,
  };
  // Public routes need no token; an image route (its query takes `sig`) wants its URL signature or a token.
  if (def.guard === "public") op.security = takesSignature(build, def) ? [{ signedUrl: [] }, { bearer: [] }] : [];
  const parameters = [...pathParameters(build, def, oa.params), ...(def.query ? queryParameters(build, def.query) : [])];
  if (parameters.length) op.parameters = parameters;
  if (def.body === "multipart") {
    op.requestBody = { required: true, content: { "multipart/form-data": { schema: { type: "object" } } } };
  } else if (def.body) {
    op.requestBody = { required: true, content: { "application/json": { schema: convert(build, def.body) } } };
  }
  op.responses = responses;
  return { path: oa.path, op };
}

/** Every `$ref` target inside `node`. */
function refsIn(node: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(node)) for (const x of node) refsIn(x, out);
  else if (node && typeof node === "object") {
    for (const [k, x] of Object.entries(node)) {
      if (k === "$ref" && typeof x === "string") out.add(x);
      else refsIn(x, out);
    }
  }
  return out;
}

/** Only the component schemas the document uses (directly or through another component). */
function usedSchemas(doc: Json, all: Record<string, Json>): Record<string, Json> {
  const used = new Set<string>();
  const queue = [...refsIn(doc, new Set())];
  while (queue.length) {
    const ref = queue.pop()!;
    if (!ref.startsWith(COMPONENT_SCHEMAS)) continue;
    const name = ref.slice(COMPONENT_SCHEMAS.length);
    if (used.has(name) || !all[name]) continue;
    used.add(name);
    queue.push(...refsIn(all[name], new Set()));
  }
  return Object.fromEntries([...used].sort().map((name) => [name, all[name]]));
}

const METHOD_ORDER = ["get", "post", "put", "patch", "delete"];

const DESCRIPTION = `API do SGP (Sistema de Gestão de Produção): pedidos, cadastros, produção e tempo real.

* **Autenticação**: \`POST /auth/login\` com \`{"username","password"}\` devolve \`session_token\`; envie-o como
  \`Authorization: Bearer <token>\` em toda rota, exceto \`GET /\`, \`GET /health\`, o login, esta documentação
  (\`/docs\`, \`/openapi.json\`) e as páginas do painel. Imagens aceitam, em vez do token, a URL assinada (\`exp\`,
  \`sig\`) que as respostas trazem. No explorador (\`/docs\`), entre pelo formulário do topo ou cole o token em
  "Authorize".
* **Caminhos**: \`/x\` e \`/x/\` são a mesma rota (sem redirecionamento).
* **Dinheiro**: em pedidos e itens, texto com ponto e duas casas (\`"1234.56"\`), nunca nulo; na entrada, número ou
  texto (\`"1.234,56"\` também).
* **Erros**: \`{"detail": "<mensagem>"}\`; validação (422) no formato do FastAPI, \`{"detail": [{loc, msg, type}]}\`.
  Qualquer rota pode responder 503 (banco ou disco indisponível, com \`Retry-After\` quando vale tentar de novo) e 500
  (erro inesperado, com o id da requisição em \`X-Request-Id\`).
* **Tempo real**: \`ws(s)://<servidor>/ws/orders?token=<token>\` (fora desta especificação: é um WebSocket).`;

/**
 * Builds the document. `defs` is the mounted route list (`ctx.routes`).
 * The result is cached per list and version: the definitions do not change while the process runs.
 */
export function buildOpenApi(defs: readonly AnyFunctionDef[], version: string): Json {
  const byVersion = cache.get(defs) ?? new Map<string, Json>();
  cache.set(defs, byVersion);
  const known = byVersion.get(version);
  if (known) return known;

  const { converted, components } = convertAll(defs);
  const build: Build = { converted, operationIds: new Set() };
  const paths: Record<string, Record<string, Json>> = {};
  const tags = new Set<string>();
  for (const def of defs) {
    pathsOf(def).forEach((path, i) => {
      const { path: oaPath, op } = operation(build, def, path, i);
      (paths[oaPath] ??= {})[def.method.toLowerCase()] = op;
      for (const t of op.tags as string[]) tags.add(t);
    });
  }
  const sortedPaths = Object.fromEntries(
    Object.keys(paths)
      .sort()
      .map((p) => [p, Object.fromEntries(Object.entries(paths[p]).sort(([a], [b]) => METHOD_ORDER.indexOf(a) - METHOD_ORDER.indexOf(b)))]),
  );
  const rank = (t: string) => (TAG_ORDER.includes(t) ? TAG_ORDER.indexOf(t) : TAG_ORDER.length);
  const usedStatuses = new Set(
    Object.values(sortedPaths).flatMap((ops) => Object.values(ops).flatMap((op) => Object.keys(op.responses as Json))),
  );
  const responses = Object.fromEntries(
    (Object.entries(ERROR_RESPONSES) as [string, (typeof ERROR_RESPONSES)[ErrorStatus]][])
      .filter(([status]) => usedStatuses.has(status))
      .map(([, r]) => [
        r.name,
        {
          description: r.description,
          ...(r.headers ? { headers: r.headers } : {}),
          content: { "application/json": { schema: { $ref: COMPONENT_SCHEMAS + r.schema } } },
        },
      ]),
  );
  const doc: Json = {
    openapi: "3.1.0",
    info: {
      title: "SGP — Sistema de Gestão de Produção",
      version,
      description: DESCRIPTION,
      // note: no public licence; `LicenseRef-` is SPDX's form for one of our own.
      license: { name: "Proprietária: uso interno", identifier: "LicenseRef-SGP-uso-interno" },
    },
    servers: [{ url: "/", description: "Este servidor" }],
    security: [{ bearer: [] }],
    tags: [...tags]
      .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
      .map((name) => ({ name, description: TAG_DESCRIPTIONS[name] ?? `Rotas de ${name}` })),
    paths: sortedPaths,
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "O `session_token` de `POST /auth/login`" },
        signedUrl: {
          type: "apiKey",
          in: "query",
          name: "sig",
          description: "Assinatura de uma URL de imagem: `exp` e `sig` como vieram na resposta (cada URL traz a sua; expira)",
        },
      },
      responses,
    },
  };
  (doc.components as Json).schemas = usedSchemas(doc, components);
  const schemes = (doc.components as { securitySchemes: Json }).securitySchemes;
  if (!Object.values(sortedPaths).some((ops) => Object.values(ops).some((op) => JSON.stringify(op.security ?? []).includes("signedUrl"))))
    delete schemes.signedUrl;
  byVersion.set(version, doc);
  return doc;
}

const cache = new WeakMap<readonly AnyFunctionDef[], Map<string, Json>>();
