// The docs cannot drift from the wire: with response validation on (every test server has it), a JSON success
// body that does not fit its route's declared `response` is a 500 naming the route and the field. This file walks
// EVERY mounted route that declares a response, calls it for real on fixture data made through the API, and
// checks its answer; and no route may declare none.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as v from "valibot";
import { ADMIN, startTestServer, type TestServer } from "./helpers/server.ts";
import { makePng } from "./helpers/images.ts";
import { defineFunction, isSchema, pathsOf, type AnyFunctionDef } from "../lib/function.ts";
import { HTTPError, HTTPValidationError, Id, wireIssues } from "../lib/wire-schemas.ts";
import { PedidoResponse } from "../lib/orders/wire-schemas.ts";
import { loadConfig } from "../lib/config.ts";
import { Relatorio, SafiraAnswer } from "../lib/reports/wire-schemas.ts";
import { RetryDeadLetter, SyncHealth } from "../lib/sync/wire-schemas.ts";
import { REPORT_TYPES } from "../lib/reports/relatorio.ts";
import type { INTENTS } from "../lib/reports/safira-intents.ts";

const PNG = `data:image/png;base64,${makePng(3, 3).toString("base64")}`;
const DESIGNER = "Ana Walker";
const MATERIAL = "Lona Walker";

/** Routes that check drift itself: a wrong body, a wrong `Response` body, a right one. */
const probes: AnyFunctionDef[] = [
  defineFunction({
    method: "GET",
    path: "/__test/drift",
    guard: "public",
    summary: "probe",
    response: v.object({ id: Id, nome: v.string() }),
    run: () => ({ id: "7" }),
  }),
  defineFunction({
    method: "GET",
    path: "/__test/drift-response",
    guard: "public",
    summary: "probe",
    response: v.object({ ok: v.boolean() }),
    run: () => Response.json({ ok: 1 }),
  }),
  defineFunction({
    method: "GET",
    path: "/__test/fits",
    guard: "public",
    summary: "probe",
    response: v.object({ id: Id, nome: v.string() }),
    run: () => ({ id: 7, nome: "sete", extra: undefined }),
  }),
];

let s: TestServer;
let user: { id: number; username: string; token: string };
/** Fixture ids, by route prefix (`clientes`, `pedidos`, …) and by what they are (`item`, `notification`, …). */
const ids: Record<string, number | string> = {};
let seq = 0;
const unique = (prefix: string) => `${prefix}-${++seq}-${Date.now() % 100000}`;

/** The create body of each catalog: the fixture, and (re-sent as is) the update body. */
const CATALOG_BODIES: Record<string, Record<string, unknown>> = {
  clientes: { nome: "Cliente Walker", cidade: "Vitória", estado: "ES" },
  "tipos-pagamentos": { nome: "Pix Walker", parcelas_max: 1 },
  "tipos-envios": { nome: "Motoboy Walker", valor: 12.5, prazo_dias: 1 },
  vendedores: { nome: "Vendedor Walker", comissao_percentual: 2 },
  designers: { nome: DESIGNER },
  materiais: { nome: MATERIAL, tipo: "lona", valor_metro: 30, estoque_metros: 100 },
  producoes: { name: "painel" },
  maquinas: { name: "Máquina Walker" },
};

async function ok<T = any>(method: string, path: string, body?: unknown, token: string | null = s.adminToken): Promise<T> {
  const r = await s.request(method, path, { body, token });
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.text}`);
  return r.body as T;
}

const orderBody = (extra: Record<string, unknown> = {}) => ({
  cliente: "Padaria Walker",
  data_entrada: "2026-11-20",
  data_entrega: "2026-11-30",
  valor_frete: "15,00",
  items: [
    {
      tipo_producao: "painel",
      descricao: "Fachada",
      designer: DESIGNER,
      tecido: MATERIAL,
      machine_id: ids.maquinas,
      largura: "2",
      altura: "1",
      quantidade_paineis: "2",
      valor_unitario: "100.00",
      acabamento: { overloque: true, elastico: false, ilhos: false },
      tipo_acabamento: "ilhos",
      quantidade_ilhos: "4",
      imagem: PNG,
    },
    { tipo_producao: "lona", descricao: "Faixa", designer: DESIGNER, tecido: MATERIAL, quantidade_lona: "1", valor_lona: "50" },
  ],
  ...extra,
});

beforeAll(async () => {
  s = await startTestServer({ extraFunctions: probes });
  // Everything below goes through the API, so the fixtures' own answers are checked on the way.
  const username = "caminhante";
  ids.users = (await ok("POST", "/users", { username, password: "senha-caminhante-1", setor: "arte" })).id;
  user = { id: Number(ids.users), username, token: await s.login(username, "senha-caminhante-1") };
  for (const [prefix, body] of Object.entries(CATALOG_BODIES)) ids[prefix] = (await ok("POST", `/${prefix}`, body)).id;
  const order = await ok("POST", "/pedidos", orderBody());
  ids.pedidos = order.id;
  ids.item = order.items[0].id;
  ids.pedidoImage = Number(/\/pedidos\/imagens\/(\d+)/.exec(order.items[0].imagem)![1]);
  // The user releases an item's art: the order's creator (admin) gets a notification.
  await ok("PATCH", `/designers/itens/${ids.item}/status-arte`, { status_arte: "liberado" }, user.token);
  ids.notification = (await ok("GET", "/api/notificacoes/designer?include_read=true"))[0].notification_id;
  await ok("POST", "/print-logs", { printer_id: ids.maquinas, pedido_id: ids.pedidos, item_id: ids.item, status: "success" }, user.token);
  ids.reposicoes = (await ok("POST", "/reposicoes", { order_id: ids.pedidos, motivo: "Cor errada" }, user.token)).id;
  ids.fichas = (await ok("POST", "/fichas", { nome: "Ficha Walker", imagem_base64: PNG }, user.token)).id;
  await ok("PUT", "/fichas/templates/html", { geral: "<p>Ficha {{numero}}</p>" });
});
afterAll(async () => s?.stop());

/** How to call one route: who, which URL, which body. Routes absent here are GETs filled from `ids`. */
interface Call {
  token?: string | null;
  url?: string;
  body?: unknown;
  /** A body sent as it is (a multipart form), instead of `body` as JSON. */
  raw?: BodyInit;
}
type Recipe = (path: string) => Call | Promise<Call>;

const catalogRecipes = Object.fromEntries(
  Object.entries(CATALOG_BODIES).flatMap(([prefix, body]) => [
    [`POST /${prefix}`, () => ({ body: { ...body, ["nome" in body ? "nome" : "name"]: unique(prefix) } })],
    [`PATCH /${prefix}/:id`, () => ({ body })],
  ]),
) as Record<string, Recipe>;

const RECIPES: Record<string, Recipe> = {
  ...catalogRecipes,
  "DELETE /clientes/:id": async () => ({ url: `/clientes/${(await ok("POST", "/clientes", { nome: unique("apagar") })).id}` }),
  "POST /auth/login": () => ({ token: null, body: { username: ADMIN.username, password: ADMIN.password } }),
  "POST /auth/logout": async () => ({ token: await s.login(user.username, "senha-caminhante-1") }),
  "POST /auth/change-password": async () => {
    const name = unique("troca");
    await ok("POST", "/users", { username: name, password: "senha-antiga-1" });
    return { token: await s.login(name, "senha-antiga-1"), body: { current_password: "senha-antiga-1", new_password: "senha-nova-12" } };
  },
  "POST /users": () => ({ body: { username: unique("novo"), password: "senha-nova-123" } }),
  "POST /admin/users": () => ({ body: { username: unique("legado"), password: "senha-nova-123" } }),
  "PATCH /users/:id": () => ({ body: { setor: "arte" } }),
  "PATCH /admin/users/:id": () => ({ body: { setor: "arte" } }),
  "DELETE /admin/users/:id": async () => ({
    url: `/admin/users/${(await ok("POST", "/users", { username: unique("apagar"), password: "senha-nova-123" })).id}`,
  }),
  "GET /api/notificacoes/designer": () => ({ token: s.adminToken, url: "/api/notificacoes/designer?include_read=true" }),
  "PATCH /api/notificacoes/:notification_id/read": () => ({ token: s.adminToken }),
  "PATCH /api/notificacoes/read-all": () => ({ token: s.adminToken }),
  "PATCH /designers/itens/:item_id/status-arte": () => ({ body: { status_arte: "liberado" } }),
  "POST /designers/itens/:item_id/comentarios": () => ({ body: { texto: "Conferir a cor" } }),
  "GET /designers/:nome/itens": () => ({ url: `/designers/${encodeURIComponent(DESIGNER)}/itens?start_date=2026-11-01` }),
  "GET /materiais/estatisticas/uso": () => ({ url: "/materiais/estatisticas/uso?incluir_sem_uso=true" }),
  "POST /print-logs": () => ({ body: { printer_id: ids.maquinas, pedido_id: ids.pedidos, status: "reprint" } }),
  "POST /fichas": () => ({ body: { nome: unique("ficha"), client_id: ids.clientes, imagem_base64: PNG } }),
  "PATCH /fichas/:id": () => ({ body: { descricao: "Atualizada" } }),
  "DELETE /fichas/:id": async () => ({ url: `/fichas/${(await ok("POST", "/fichas", { nome: unique("apagar") })).id}` }),
  "PUT /fichas/templates": async () => {
    const { geral, resumo } = await ok("GET", "/fichas/templates");
    return { body: { geral, resumo: { ...resumo, title: "Resumo Walker" } } };
  },
  "PUT /fichas/templates/html": () => ({ body: { geral: "<p>Geral</p>", resumo: "<p>Resumo</p>" } }),
  "POST /reposicoes": () => ({ body: { order_id: ids.pedidos, motivo: "Faltou peça", prioridade: "ALTA" } }),
  "PATCH /reposicoes/:id": () => ({ body: { status: "Em Processamento", costura: true } }),
  "DELETE /reposicoes/:id": async () => ({
    url: `/reposicoes/${(await ok("POST", "/reposicoes", { order_id: ids.pedidos, motivo: "apagar" })).id}`,
  }),
  // The order routes, for when they declare their `response` (one line each there; nothing to add here).
  "POST /pedidos": () => ({ body: orderBody() }),
  "PATCH /pedidos/:id": () => ({ body: { observacao: "Revisado", conferencia: true } }),
  "DELETE /pedidos/:id": async () => ({ url: `/pedidos/${(await ok("POST", "/pedidos", orderBody({ items: [] }))).id}` }),
  "POST /pedidos/rascunho": () => ({
    body: { cliente: "Rascunho Walker", valor_frete: 10, items: [{ item_name: "Banner", quantity: 1, unit_price: 20 }] },
  }),
  "POST /pedidos/:id/promover": async () => ({
    url: `/pedidos/${(await ok("POST", "/pedidos/rascunho", { cliente: "Promover Walker" })).id}/promover`,
  }),
  "POST /pedidos/batch-status": () => ({ body: { id_pedidos: [ids.pedidos], status: "em_producao" } }),
  "PATCH /pedidos/pedido-itens/:item_id": () => ({ body: { rip_maquina: "RIP 1", pedido_id: ids.pedidos } }),
  "POST /pedidos/save-json/:id": () => ({ body: { id: ids.pedidos } }),
  "POST /pedidos/order-items/upload-image": () => ({ raw: imageForm() }),
  // A tmp upload's preview, by the signed URL the upload answered.
  "GET /pedidos/media/:path{.+}": async () => {
    const r = await fetch(`${s.url}/pedidos/order-items/upload-image`, {
      method: "POST",
      body: imageForm(),
      headers: { authorization: `Bearer ${user.token}` },
    });
    if (r.status !== 200) throw new Error(`upload-image: ${r.status} ${await r.text()}`);
    return { url: ((await r.json()) as { url: string }).url };
  },
  // reports, automação, Safira, sync (every report type and Safira intent: "reports, automação, Safira, sync" below)
  "GET /relatorios-fechamentos/pedidos/relatorio": () => ({
    url: `/relatorios-fechamentos/pedidos/relatorio?report_type=analitico_designer_cliente&${NOVEMBER}`,
  }),
  "GET /relatorios-fechamentos/pedidos/relatorio-semanal": () => ({ url: `/relatorios-fechamentos/pedidos/relatorio-semanal?${NOVEMBER}` }),
  "GET /automacao/pedido/:numero": async () => ({ url: `/automacao/pedido/${(await ok("GET", `/pedidos/${ids.pedidos}`)).numero}` }),
  "PUT /relatorios/templates": async () => {
    const { envios, fechamentos } = await ok("GET", "/relatorios/templates");
    return { body: { envios, fechamentos: { ...fechamentos, title: "Fechamento Walker", rodape: "extra" } } };
  },
  "POST /safira/ask": () => ({ body: { question: "Quais pedidos estão atrasados?" } }),
  "POST /sync/retry-dead-letter": async () => ({ url: `/sync/retry-dead-letter?event_id=${await deadLetter("http")}` }),
  // System routes (public guard): /metrics checks its token itself.
  "GET /metrics": () => ({ token: s.adminToken }),
};

/** The multipart body of `POST /pedidos/order-items/upload-image`. */
function imageForm(): FormData {
  const form = new FormData();
  form.append("image", new Blob([new Uint8Array(makePng(3, 3))], { type: "image/png" }), "foto.png");
  return form;
}

/** A concrete URL for a route path, every parameter from the fixtures. */
function concrete(path: string): string {
  const resource = path.split("/")[1] === "admin" ? "users" : path.split("/")[1];
  return path.replace(/:(\w+)(\{[^}]*\})?/g, (_m, name: string) => {
    if (name === "id") return String(path.startsWith("/pedidos/imagens/") ? ids.pedidoImage : ids[resource]);
    const value = {
      item_id: ids.item,
      printer_id: ids.maquinas,
      nome: encodeURIComponent(DESIGNER),
      template_type: "geral",
      notification_id: ids.notification,
      status: "pendente",
      category: "vendedor",
    }[name];
    if (value === undefined) throw new Error(`no fixture for :${name} in ${path}: add one in test/response-schemas.test.ts`);
    return String(value);
  });
}

const METHOD_ORDER = ["GET", "POST", "PUT", "PATCH", "DELETE"];
const declared = () =>
  s.deps.routes
    .filter((d) => d.response && !pathsOf(d)[0].startsWith("/__test"))
    .flatMap((d) => pathsOf(d).map((path) => ({ def: d, path, key: `${d.method} ${path.replace(/(.)\/$/, "$1")}` })))
    // Reads first, deletes last: a write never removes what a later call needs.
    .sort((a, b) => METHOD_ORDER.indexOf(a.def.method) - METHOD_ORDER.indexOf(b.def.method) || a.key.localeCompare(b.key));

describe("response validation", () => {
  it("is on in every test server, off by default (it costs a parse per body)", () => {
    expect(s.deps.config.validateResponses).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), "sgp-cfg-"));
    try {
      const base = { DATABASE_URL: `file:${join(dir, "x.db")}`, SECRET_KEY: "test-secret-key-with-enough-length-0123456789" };
      expect(loadConfig(base, dir).validateResponses).toBe(false);
      expect(loadConfig({ ...base, SGP_VALIDATE_RESPONSES: "true" }, dir).validateResponses).toBe(true);
      expect(() => loadConfig({ ...base, SGP_VALIDATE_RESPONSES: "talvez" }, dir)).toThrow(/SGP_VALIDATE_RESPONSES/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("turns a body that drifted from its declared schema into a 500 naming the route and the fields", async () => {
    const r = await s.request("GET", "/__test/drift");
    expect(r.status).toBe(500);
    expect(r.body.detail).toContain("GET /__test/drift");
    expect(r.body.detail).toMatch(/\bid: /);
    expect(r.body.detail).toMatch(/\bnome: /);
    const viaResponse = await s.request("GET", "/__test/drift-response");
    expect(viaResponse.status).toBe(500);
    expect(viaResponse.body.detail).toMatch(/GET \/__test\/drift-response .*ok: /);
    const fits = await s.request("GET", "/__test/fits");
    expect(fits.status).toBe(200);
    expect(fits.body).toEqual({ id: 7, nome: "sete" });
  });
});

describe("every route that declares a response answers in its shape", () => {
  it("walks them all, for real, with the user's token and the admin's", async () => {
    const routes = declared();
    expect(routes.length).toBeGreaterThan(80);
    const failures: string[] = [];
    for (const { def, path, key } of routes) {
      const recipe = RECIPES[key];
      if (!recipe && def.method !== "GET") {
        failures.push(`${key}: no recipe (add one to RECIPES)`);
        continue;
      }
      const call = await (recipe ?? (() => ({})))(path);
      const takesSignature = !!def.query && pathsOf(def)[0].includes("imagens");
      const token =
        call.token !== undefined
          ? call.token
          : def.guard === "user"
            ? user.token
            : def.guard === "admin" || takesSignature
              ? s.adminToken
              : null;
      // A read under the user guard is also called with the admin's token (some lists differ by role).
      const tokens = def.method === "GET" && def.guard === "user" && call.token === undefined ? [token, s.adminToken] : [token];
      for (const t of tokens) {
        const url = call.url ?? concrete(path);
        const r = await s.request(def.method, url, { token: t, body: call.body, raw: call.raw });
        const expected = def.status ?? 200;
        if (r.status !== expected) {
          failures.push(`${key} (${url}): ${r.status} ${r.text.slice(0, 300)}`);
          continue;
        }
        if (isSchema(def.response)) {
          const issues = wireIssues(def.response, r.body);
          if (issues.length) failures.push(`${key}: ${issues.join("; ")}`);
        } else if (def.response) {
          const type = r.headers.get("content-type") ?? "";
          const want = def.response.mediaType.replace("/*", "/");
          if (!type.startsWith(want)) failures.push(`${key}: content-type ${type}, declared ${def.response.mediaType}`);
        }
      }
    }
    console.log(`response walk: ${routes.length} routes called, ${failures.length} failures`);
    expect(failures).toEqual([]);
  });

  it("every route declares its response (a 204 has none to declare)", () => {
    const missing = s.deps.routes
      .filter((d) => !d.response && (d.status ?? 200) !== 204 && !pathsOf(d)[0].startsWith("/__test"))
      .flatMap((d) => pathsOf(d).map((p) => `${d.method} ${p}`))
      .sort();
    console.log(`routes with no declared response (${missing.length}):\n${missing.map((m) => `  ${m}`).join("\n")}`);
    // Every route declares its response (a 204 has none to declare): a new route without one fails here.
    expect(missing).toEqual([]);
  });
});

describe("shared shapes, checked against every variant the routes answer", () => {
  it("PedidoResponse fits every order the /pedidos routes answer", async () => {
    const created = await ok("POST", "/pedidos", orderBody(), user.token);
    const shapes: [string, unknown][] = [
      ["POST /pedidos", created],
      ["GET /pedidos/:id", await ok("GET", `/pedidos/${created.id}`, undefined, user.token)],
      [
        "PATCH /pedidos/:id",
        await ok("PATCH", `/pedidos/${created.id}`, { status: "em_producao", conferencia: true, items: created.items }, user.token),
      ],
      [
        "POST /pedidos/rascunho",
        await ok(
          "POST",
          "/pedidos/rascunho",
          { cliente: "Rascunho", valor_frete: 3, items: [{ item_name: "X", quantity: 2, unit_price: 5 }] },
          user.token,
        ),
      ],
    ];
    for (const o of await ok<unknown[]>("GET", "/pedidos", undefined, user.token)) shapes.push(["GET /pedidos", o]);
    for (const o of await ok<unknown[]>("GET", "/pedidos/rascunhos", undefined, user.token)) shapes.push(["GET /pedidos/rascunhos", o]);
    for (const [where, body] of shapes) expect(wireIssues(PedidoResponse, body), where).toEqual([]);
    // Money as "1234.56" strings, never null or a number, the items' too.
    expect(created).toMatchObject({
      valor_frete: "15.00",
      valor_itens: expect.stringMatching(/^\d+\.\d{2}$/),
      valor_total: expect.stringMatching(/^\d+\.\d{2}$/),
    });
    expect(wireIssues(PedidoResponse, { ...created, valor_total: 265 })).toEqual([expect.stringMatching(/^valor_total: /)]);
    expect(wireIssues(PedidoResponse, { ...created, valor_frete: null })).toEqual([expect.stringMatching(/^valor_frete: /)]);
    expect(wireIssues(PedidoResponse, { ...created, items: [{ ...created.items[0], valor_unitario: 100 }] })).toEqual([
      expect.stringMatching(/^items\.0\.valor_unitario: /),
    ]);
  });

  it("error bodies are HTTPError, and 422s HTTPValidationError", async () => {
    const noToken = await s.request("GET", "/clientes");
    expect(noToken.status).toBe(401);
    expect(wireIssues(HTTPError, noToken.body)).toEqual([]);
    const missing = await s.request("GET", "/clientes/999999", { token: user.token });
    expect(missing.status).toBe(404);
    expect(wireIssues(HTTPError, missing.body)).toEqual([]);
    const bad = await s.request("POST", "/reposicoes", { token: user.token, body: { order_id: "x" } });
    expect(bad.status).toBe(422);
    expect(wireIssues(HTTPValidationError, bad.body)).toEqual([]);
  });
});

// reports, automação, Safira, sync: the variants one walk cannot reach (15 report types, every Safira intent, both
// retry answers), each called for real (the server validates the body) and checked again here.
const NOVEMBER = "start_date=2026-11-01&end_date=2026-11-30";

/** Puts the last logged event in `sink`'s dead letters (no sink is configured here, so none gets there by itself). */
async function deadLetter(sink: "http" | "mysql"): Promise<number> {
  return s.deps.db.write((tx) => {
    const id = tx.get<{ id: number }>("SELECT MAX(id) AS id FROM event_log")!.id;
    const now = new Date().toISOString();
    tx.run(
      `INSERT INTO sync_dead_letters (sink, event_id, status, attempts, last_error, created_at, updated_at) VALUES (?, ?, 'dead', 8, 'HTTP 500', ?, ?)
       ON CONFLICT (sink, event_id) DO UPDATE SET status = 'dead'`,
      sink,
      id,
      now,
      now,
    );
    return id;
  });
}

const QUESTIONS: Record<(typeof INTENTS)[number] | "unknown", string> = {
  pedidos_hoje: "Quantos pedidos entraram hoje?",
  pedidos_em_producao: "Quantos pedidos estão em produção?",
  pedidos_atrasados: "Quais pedidos estão atrasados?",
  tipo_pedido_mais_feito: "Qual o tipo de pedido mais feito?",
  material_mais_usado: "Qual o material mais usado?",
  vendedor_mais_produtivo: "Qual vendedor fez mais pedidos hoje?",
  cliente_mais_pedidos: "Qual cliente fez mais pedidos este mês?",
  tempo_medio_producao: "Qual o tempo médio de produção?",
  pedidos_concluidos_hoje: "Quantos pedidos foram concluídos hoje?",
  etapa_producao_com_mais_pedidos: "Qual etapa da produção tem mais pedidos?",
  unknown: "Qual a cor do céu?",
};

describe("reports, automação, Safira, sync: every variant answers in its declared shape", () => {
  it("the closing report, all 15 types × both freight distributions, an order without items included", async () => {
    await ok("POST", "/pedidos", orderBody({ cliente: "Sem Itens Walker", items: [], valor_frete: "7,50" }));
    expect(REPORT_TYPES).toHaveLength(15);
    for (const type of REPORT_TYPES) {
      for (const frete of ["por_pedido", "proporcional"]) {
        const url = `/relatorios-fechamentos/pedidos/relatorio?report_type=${type}&frete_distribution=${frete}&date_mode=qualquer&${NOVEMBER}`;
        const body = await ok("GET", url, undefined, user.token);
        expect(wireIssues(Relatorio, body), url).toEqual([]);
        expect(body.groups.length, url).toBeGreaterThan(0);
      }
    }
    // The schema tells the two families apart and catches a number where money goes.
    const analitico = await ok("GET", `/relatorios-fechamentos/pedidos/relatorio?report_type=analitico_cliente_painel&${NOVEMBER}`);
    const sintetico = await ok("GET", `/relatorios-fechamentos/pedidos/relatorio?report_type=sintetico_cliente&${NOVEMBER}`);
    expect(wireIssues(Relatorio, { ...sintetico, groups: analitico.groups })).not.toEqual([]);
    expect(wireIssues(Relatorio, { ...analitico, report_type: "sintetico_cliente" })).not.toEqual([]);
    expect(wireIssues(Relatorio, { ...sintetico, total: { ...sintetico.total, valor_frete: 7.5 } })).toEqual([
      expect.stringMatching(/^total\.valor_frete: /),
    ]);
  });

  it("Safira, every intent and an unknown question", async () => {
    for (const [intent, question] of Object.entries(QUESTIONS)) {
      const body = await ok("POST", "/safira/ask", { question }, user.token);
      expect(body.intent, question).toBe(intent);
      expect(wireIssues(SafiraAnswer, body), question).toEqual([]);
    }
    const today = await ok("POST", "/safira/ask", { question: QUESTIONS.pedidos_hoje }, user.token);
    expect(wireIssues(SafiraAnswer, { ...today, meta: { total: "1" } })).not.toEqual([]);
  });

  it("trends by week and month, the rankings of every category, sync retry by sink, the health", async () => {
    for (const g of ["week", "month"]) {
      await ok("GET", `/relatorios-fechamentos/pedidos/tendencia?group_by=${g}`, undefined, user.token);
      await ok("GET", `/relatorios/fechamentos/trends?group_by=${g}`, undefined, user.token);
    }
    for (const c of ["vendedor", "designer", "cliente", "tipo_producao"])
      await ok("GET", `/relatorios/fechamentos/rankings/${c}`, undefined, user.token);
    await deadLetter("mysql");
    for (const sink of ["http", "mysql"])
      expect(wireIssues(RetryDeadLetter, await ok("POST", `/sync/retry-dead-letter?sink=${sink}`))).toEqual([]);
    const health = await ok("GET", "/sync/health");
    expect(wireIssues(SyncHealth, health)).toEqual([]);
    expect(wireIssues(SyncHealth, { ...health, reasons: ["lento"] })).not.toEqual([]);
  });
});
