// The /pedidos routes' declared responses: every operation documents its 2xx body in /openapi.json, a streamed
// list is validated like any other body (drained whole with validation on), and the shapes fail on drift.
// (test/response-schemas.test.ts walks every route for real; this file pins what that walk cannot show.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as v from "valibot";
import { functions } from "../runtime/functions.gen.ts";
import { buildOpenApi, toOpenApiPath } from "../lib/openapi.ts";
import { defineFunction, pathsOf, type AnyFunctionDef } from "../lib/function.ts";
import { JsonStream } from "../lib/body.ts";
import { wireIssues } from "../lib/wire-schemas.ts";
import { orderListStream, responseSigner } from "../lib/orders/index.ts";
import {
  BatchStatusResponse,
  ItemPatchResponse,
  PedidoResponse,
  PedidoSummary,
  PedidoTotal,
  SaveJsonResponse,
  UploadImageResponse,
} from "../lib/orders/wire-schemas.ts";
import { HistoryPageResponse } from "../lib/history/wire-schemas.ts";
import { ITEM_MONEY_KEYS } from "../lib/orders/pricing.ts";
import { VERSION } from "../lib/config.ts";
import { makePng } from "./helpers/images.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";

type Json = Record<string, any>;

describe("/openapi.json for /pedidos", () => {
  const doc = buildOpenApi(functions, VERSION) as Json;
  const pedidos = functions.filter((d) => pathsOf(d).some((p) => p.startsWith("/pedidos")));

  it("gives every /pedidos operation a 2xx response with content: a JSON schema, or its file's media type", () => {
    expect(pedidos.length).toBeGreaterThanOrEqual(19);
    for (const d of pedidos) {
      for (const p of pathsOf(d)) {
        const where = `${d.method} ${p}`;
        const op = doc.paths[toOpenApiPath(p).path]?.[d.method.toLowerCase()] as Json;
        expect(op, where).toBeTruthy();
        const ok = Object.entries(op.responses as Record<string, Json>).filter(([status]) => /^2\d\d$/.test(status));
        expect(
          ok.map(([status]) => status),
          where,
        ).toEqual([String(d.status ?? 200)]);
        const content = ok[0][1].content as Record<string, Json> | undefined;
        expect(content, where).toBeTruthy();
        const [type, body] = Object.entries(content!)[0];
        if (type === "application/json") expect(Object.keys(body.schema).length, where).toBeGreaterThan(0);
        else expect(type, where).toBe("image/*");
      }
    }
  });

  it("documents the order lists as arrays of the shared PedidoResponse, and the images as files", () => {
    const schema = (path: string, method = "get") => doc.paths[path][method].responses["200"].content["application/json"].schema;
    for (const path of ["/pedidos", "/pedidos/rascunhos", "/pedidos/status/{status}"]) {
      expect(schema(path), path).toEqual({ type: "array", items: { $ref: "#/components/schemas/PedidoResponse" } });
    }
    for (const [path, method] of [
      ["/pedidos/{id}", "get"],
      ["/pedidos/{id}", "patch"],
      ["/pedidos", "post"],
      ["/pedidos/{id}/json", "get"],
      ["/pedidos/{id}/promover", "post"],
    ]) {
      expect(schema(path, method), `${method} ${path}`).toEqual({ $ref: "#/components/schemas/PedidoResponse" });
    }
    expect(schema("/pedidos/summary")).toEqual({ $ref: "#/components/schemas/PedidoSummary" });
    expect(schema("/pedidos/{id}/historico")).toEqual({ type: "array", items: { $ref: "#/components/schemas/HistoryEntry" } });
    for (const path of ["/pedidos/imagens/{id}", "/pedidos/media/{path}"]) {
      expect(Object.keys(doc.paths[path].get.responses["200"].content), path).toEqual(["image/*"]);
      expect(doc.paths[path].get.responses["401"], path).toBeTruthy();
    }
    // Errors beyond the implied ones: an unknown status, a taken numero, a promoted non-draft, a missing file field.
    expect(doc.paths["/pedidos/status/{status}"].get.responses["400"]).toBeTruthy();
    expect(doc.paths["/pedidos"].post.responses["409"]).toBeTruthy();
    expect(doc.paths["/pedidos/{id}/promover"].post.responses["409"]).toBeTruthy();
    expect(doc.paths["/pedidos/order-items/upload-image"].post.responses["422"]).toBeTruthy();
  });
});

describe("the /pedidos shapes", () => {
  let s: TestServer;
  let order: Json;
  // A streamed list with a schema it does not fit: the drained body must be checked, not passed through.
  const probe: AnyFunctionDef = defineFunction({
    method: "GET",
    path: "/__test/pedidos-stream",
    guard: "user",
    summary: "probe",
    response: v.array(v.object({ id: v.string() })),
    run: async (ctx) =>
      new JsonStream(
        orderListStream(
          ctx.db,
          await ctx.db.read((q) => q.all<{ id: number }>("SELECT id FROM pedidos").map((r) => r.id)),
          responseSigner(ctx.media.signer),
        ),
      ),
  });

  beforeAll(async () => {
    s = await startTestServer({ extraFunctions: [probe] });
    const png = `data:image/png;base64,${makePng(2, 2).toString("base64")}`;
    const r = await s.request("POST", "/pedidos", {
      token: s.adminToken,
      body: {
        cliente: "Forma",
        data_entrada: "2026-12-01",
        data_entrega: "2026-12-20",
        prioridade: "ALTA",
        items: [{ tipo_producao: "painel", descricao: "A", valor_unitario: "10", imagem: png }],
      },
    });
    if (r.status !== 200) throw new Error(r.text);
    order = r.body;
  });
  afterAll(async () => s?.stop());

  it("validates a streamed list: a schema it does not fit is a 500 naming the field", async () => {
    const r = await s.request("GET", "/__test/pedidos-stream", { token: s.adminToken });
    expect(r.status).toBe(500);
    expect(r.body.detail).toMatch(/GET \/__test\/pedidos-stream .*0\.id: /);
  });

  it("fail on drift: money as numbers, counts as text, missing keys, unknown statuses", async () => {
    const get = async (path: string) => (await s.request("GET", path, { token: s.adminToken })).body as Json;
    const summary = await get("/pedidos/summary");
    expect(wireIssues(PedidoSummary, summary)).toEqual([]);
    expect(summary.recent_orders.length).toBeGreaterThan(0);
    expect(wireIssues(PedidoSummary, { ...summary, efficiency_rate: "50" })).toEqual([expect.stringMatching(/^efficiency_rate: /)]);
    expect(wireIssues(PedidoSummary, { ...summary, status_counts: { ...summary.status_counts, pendente: undefined } })).toEqual([
      expect.stringMatching(/^status_counts\.pendente: /),
    ]);
    expect(wireIssues(PedidoSummary, { ...summary, recent_orders: [{ ...summary.recent_orders[0], valor_total: 10 }] })).toEqual([
      expect.stringMatching(/^recent_orders\.0\.valor_total: /),
    ]);

    const history = await get(`/pedidos/${order.id}/historico`);
    expect(wireIssues(HistoryPageResponse, history)).toEqual([]);
    expect(history[0]).toMatchObject({
      type: "order_created",
      changes: expect.arrayContaining([{ field: "cliente", from: null, to: "Forma" }]),
    });
    const { at: _at, ...noAt } = history[0];
    expect(wireIssues(HistoryPageResponse, [noAt])).toEqual([expect.stringMatching(/^0\.at: /)]);
    expect(wireIssues(HistoryPageResponse, [{ ...history[0], type: "order_edited" }])).toEqual([expect.stringMatching(/^0\.type: /)]);

    const total = await get("/pedidos/total");
    expect(total).toEqual({ total: 1 });
    expect(wireIssues(PedidoTotal, { total: "1" })).toEqual([expect.stringMatching(/^total: /)]);

    const patched = await s.request("PATCH", `/pedidos/pedido-itens/${order.items[0].id}`, {
      token: s.adminToken,
      body: { observacao: "x" },
    });
    expect(wireIssues(ItemPatchResponse, patched.body)).toEqual([]);
    expect(wireIssues(ItemPatchResponse, { ...patched.body, item: { ...patched.body.item, valor_unitario: 10 } })).toEqual([
      expect.stringMatching(/^item\.valor_unitario: /),
    ]);

    const batch = await s.request("POST", "/pedidos/batch-status", {
      token: s.adminToken,
      body: { id_pedidos: [order.id], status: "pronto" },
    });
    expect(batch.body).toEqual({ count: 1, status: "pronto" });
    expect(wireIssues(BatchStatusResponse, { ...batch.body, status: "Pronto" })).toEqual([expect.stringMatching(/^status: /)]);

    const saved = await s.request("POST", `/pedidos/save-json/${order.id}`, { token: s.adminToken });
    expect(saved.body).toEqual({ message: expect.any(String), pedido_id: order.id });
    expect(wireIssues(SaveJsonResponse, { ...saved.body, pedido_id: String(order.id) })).toEqual([expect.stringMatching(/^pedido_id: /)]);

    const form = new FormData();
    form.append("image", new Blob([new Uint8Array(makePng(2, 2))], { type: "image/png" }), "a.png");
    const up = await fetch(`${s.url}/pedidos/order-items/upload-image`, {
      method: "POST",
      body: form,
      headers: { authorization: `Bearer ${s.adminToken}` },
    });
    const upload = (await up.json()) as Json;
    expect(up.status).toBe(200);
    expect(wireIssues(UploadImageResponse, upload)).toEqual([]);
    expect(wireIssues(UploadImageResponse, { ...upload, server_reference: "/etc/passwd" })).toEqual([
      expect.stringMatching(/^server_reference: /),
    ]);
  });

  it('item money: "1234.56" for what this server writes; an item taken over from the original keeps its text, never null', async () => {
    const item = order.items[0] as Json;
    for (const key of ITEM_MONEY_KEYS) if (key in item) expect(item[key], key).toMatch(/^-?\d+\.\d{2}$/);
    expect(item.valor_unitario).toBe("10.00");
    const legacy = { ...order, items: [{ ...item, valor_unitario: "R$ 50,00", valor_painel: "100,00" }] };
    expect(wireIssues(PedidoResponse, legacy)).toEqual([]);
    expect(wireIssues(PedidoResponse, { ...order, items: [{ ...item, valor_lona: null }] })).toEqual([
      expect.stringMatching(/^items\.0\.valor_lona: /),
    ]);
    expect(wireIssues(PedidoResponse, { ...order, items: [{ ...item, valor_lona: 5 }] })).toEqual([
      expect.stringMatching(/^items\.0\.valor_lona: /),
    ]);
  });

  it("the history of a deleted order (admin) ends with order_deleted and still fits", async () => {
    const r = await s.request("POST", "/pedidos", { token: s.adminToken, body: { cliente: "Apagar", data_entrada: "2026-12-01" } });
    expect((await s.request("DELETE", `/pedidos/${r.body.id}`, { token: s.adminToken })).status).toBe(200);
    const history = await s.request("GET", `/pedidos/${r.body.id}/historico`, { token: s.adminToken });
    expect(history.status).toBe(200);
    expect(history.body.at(-1)).toMatchObject({ type: "order_deleted" });
    expect(wireIssues(HistoryPageResponse, history.body)).toEqual([]);
  });
});
