import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";

// Review findings on the orders routes: shapes the real client sends (client-contract.md §0, §1.2) that must not
// be refused, and inputs that must never store garbage totals (decisions §6, §10).

let s: TestServer;
let user: { id: number; token: string };

beforeAll(async () => {
  s = await startTestServer();
  user = await s.createUser("revisor", "revisor-pass-123");
});
afterAll(() => s.stop());

const req = (method: string, path: string, body?: unknown) => s.request(method, path, { token: user.token, body });
const rowCount = () => s.deps.db.writeSync((tx) => tx.get<{ n: number }>("SELECT COUNT(*) AS n FROM pedidos")!.n);

describe("drafts stay incomplete through their updates (client-contract §1.2 'Draft update')", () => {
  it("a draft saved without a customer can be autosaved again with cliente '' (not 422)", async () => {
    const d = await req("POST", "/pedidos/rascunho", {
      cliente: "",
      rascunho: true,
      status: "pendente",
      valor_frete: 5,
      data_entrega: null,
      items: [],
    });
    expect(d.status).toBe(200);
    const r = await req("PATCH", `/pedidos/${d.body.id}`, {
      rascunho: true,
      cliente: "",
      valor_frete: "7.00",
      items: [{ item_name: "Banner", quantity: 3, unit_price: 10 }],
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ rascunho: true, cliente: "", valor_itens: "30.00", valor_total: "37.00" });
    // promoting still requires the customer
    expect((await req("POST", `/pedidos/${d.body.id}/promover`)).status).toBe(400);
  });

  it("a draft's blank or null data_entrada means 'not filled in': today on create, unchanged on update", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const d = await req("POST", "/pedidos/rascunho", { cliente: "Ana", data_entrada: "", data_entrega: null });
    expect(d.status).toBe(200);
    expect(d.body.data_entrada).toBe(today);
    for (const data_entrada of ["", null]) {
      const r = await req("PATCH", `/pedidos/${d.body.id}`, { rascunho: true, data_entrada, observacao: "x" });
      expect(r.status).toBe(200);
      expect(r.body.data_entrada).toBe(today);
    }
  });

  it("a real order still needs its customer and entry date: 422 with a string-free issue array, nothing changed", async () => {
    const o = await req("POST", "/pedidos/", { cliente: "Bruno", data_entrada: "2026-11-20" });
    expect(o.status).toBe(200);
    for (const body of [{ cliente: "" }, { cliente: "   " }, { cliente: null }, { data_entrada: "" }, { data_entrada: null }]) {
      const r = await req("PATCH", `/pedidos/${o.body.id}`, body);
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect(Array.isArray(r.body.detail)).toBe(true);
      expect(r.body.detail[0].loc).toEqual(["body", Object.keys(body)[0]]);
    }
    const g = await req("GET", `/pedidos/${o.body.id}`);
    expect(g.body).toMatchObject({ cliente: "Bruno", data_entrada: "2026-11-20" });
  });
});

describe("money out of range is refused, never stored as garbage (decisions §6, §10)", () => {
  it("a freight or a quantity beyond the cents range is 4xx with a detail and writes nothing", async () => {
    const before = rowCount();
    const bodies = [
      { valor_frete: 1e300 },
      { valor_frete: -1e300 },
      { items: [{ tipo_producao: "totem", valor_unitario: "100000000", quantidade_totem: "1e20" }] },
      { items: [{ item_name: "x", unit_price: 99999999, quantity: 1e15 }] },
    ];
    for (const extra of bodies) {
      const r = await req("POST", "/pedidos/", { cliente: "Carla", data_entrada: "2026-11-20", ...extra });
      expect([400, 422], JSON.stringify(extra)).toContain(r.status);
      expect(r.body.detail).toBeTruthy();
    }
    expect(rowCount()).toBe(before);
  });

  it("an item value beyond the money range is the same 422 as any money field (issue 15: never priced as 0.00)", async () => {
    const before = rowCount();
    for (const valor of [1e306, "1e308", "NaN", "99999999999999", -5, "abc"]) {
      const r = await req("POST", "/pedidos/", {
        cliente: "Caio",
        data_entrada: "2026-11-20",
        items: [{ tipo_producao: "painel", valor_painel: valor, quantidade_paineis: "2" }],
      });
      expect(r.status, String(valor)).toBe(422);
      expect(r.body.detail[0]).toMatchObject({
        loc: ["body", "items", 0, "valor_painel"],
        msg: expect.stringMatching(/^Valor monetário inválido/),
      });
      const frete = await req("POST", "/pedidos/", { cliente: "Caio", data_entrada: "2026-11-20", valor_frete: valor });
      expect(frete.status, String(valor)).toBe(422);
      expect(frete.body.detail[0].msg).toBe(r.body.detail[0].msg);
    }
    expect(rowCount()).toBe(before);
  });

  it("an item patch with a count beyond the limit is refused and leaves the item as it was", async () => {
    const o = await req("POST", "/pedidos/", {
      cliente: "Davi",
      data_entrada: "2026-11-20",
      items: [{ tipo_producao: "totem", valor_unitario: "10.00", quantidade_totem: "2" }],
    });
    const item = o.body.items[0];
    const r = await req("PATCH", `/pedidos/pedido-itens/${item.id}`, { pedido_id: o.body.id, quantidade_totem: "1e30" });
    expect(r.status).toBe(422);
    expect(r.body.detail[0].loc).toEqual(["body", "quantidade_totem"]);
    const g = await req("GET", `/pedidos/${o.body.id}`);
    expect(g.body.items[0].quantidade_totem).toBe("2");
    expect(g.body.valor_total).toBe("20.00");
  });

  it("large but real values still work exactly", async () => {
    const r = await req("POST", "/pedidos/", {
      cliente: "Eva",
      data_entrada: "2026-11-20",
      valor_frete: 1234567.89,
      items: [{ tipo_producao: "totem", valor_unitario: "1.000.000,01", quantidade_totem: "3" }],
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ valor_frete: "1234567.89", valor_itens: "3000000.03", valor_total: "4234567.92" });
  });
});
