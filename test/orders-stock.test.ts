import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";

// Order writes apply the material stock rule of lib/catalogs/stock.ts when the setting is on.
let s: TestServer;
let materialId: number;
const stock = () => s.deps.db.writeSync((tx) => tx.get<{ e: number }>("SELECT estoque_metros AS e FROM material WHERE id = ?", materialId)!.e);
const count = () => s.deps.db.writeSync((tx) => tx.get<{ n: number }>("SELECT COUNT(*) AS n FROM pedidos")!.n);
const item = (m2: string) => ({ tipo_producao: "painel", tecido: "OXFORD", metro_quadrado: m2, quantidade_paineis: "2" });

beforeAll(async () => {
  s = await startTestServer({ env: { MATERIAL_STOCK_AUTO_DEDUCTION: "true" } });
  const r = await s.request("POST", "/materiais/", { token: s.adminToken, body: { nome: "Oxford", tipo: "tecido", estoque_metros: 10 } });
  expect(r.status).toBeLessThan(300);
  materialId = r.body.id;
});
afterAll(() => s.stop());

describe("material stock on order writes", () => {
  it("create, item patch, cancel, delete move the stock; a shortage is 400 with nothing written", async () => {
    const o = (await s.request("POST", "/pedidos/", { token: s.adminToken, body: { cliente: "A", data_entrada: "2026-11-29", items: [item("1.5")] } })).body;
    expect(stock()).toBe(7);
    const p = await s.request("PATCH", `/pedidos/pedido-itens/${o.items[0].id}`, { token: s.adminToken, body: { metro_quadrado: "2" } });
    expect(p.status).toBe(200);
    expect(stock()).toBe(6);
    const before = count();
    const short = await s.request("POST", "/pedidos/", { token: s.adminToken, body: { cliente: "B", data_entrada: "2026-11-29", items: [item("5")] } });
    expect(short.status).toBe(400);
    expect(short.body.detail).toMatch(/Estoque insuficiente/);
    expect(count()).toBe(before);
    expect(stock()).toBe(6);
    await s.request("PATCH", `/pedidos/${o.id}`, { token: s.adminToken, body: { status: "cancelado" } });
    expect(stock()).toBe(10);
    await s.request("PATCH", `/pedidos/${o.id}`, { token: s.adminToken, body: { status: "pendente" } });
    expect(stock()).toBe(6);
    await s.request("DELETE", `/pedidos/${o.id}`, { token: s.adminToken });
    expect(stock()).toBe(10);
  });
});
