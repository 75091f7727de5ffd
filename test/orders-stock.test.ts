import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";

// Order writes move material stock through the in-transaction hook on their events (lib/orders/hooks.ts).
// Every order-writing route is checked against its own before/after: the stock moves by exactly what the order
// consumed before minus what it consumes after (area × pieces of each item, real non-cancelled orders only).
let s: TestServer;
const MATERIALS = { OXFORD: 0, HELANCA: 0 };
const START = 1000;
const stockOf = (name: keyof typeof MATERIALS) =>
  s.deps.db.writeSync((tx) => tx.get<{ e: number }>("SELECT estoque_metros AS e FROM material WHERE id = ?", MATERIALS[name])!.e);
const count = () => s.deps.db.writeSync((tx) => tx.get<{ n: number }>("SELECT COUNT(*) AS n FROM pedidos")!.n);
const item = (tecido: string, m2: string, paineis = "2") => ({
  tipo_producao: "painel",
  tecido,
  metro_quadrado: m2,
  quantidade_paineis: paineis,
});

/** m² of each material an order (as GET /pedidos/{id} shows it) consumes, computed here from the wire fields. */
function consumed(order: any): Record<string, number> {
  const out: Record<string, number> = { OXFORD: 0, HELANCA: 0 };
  if (!order || order.rascunho || order.status === "cancelado") return out;
  for (const it of order.items) {
    const key = String(it.tecido ?? "")
      .trim()
      .toUpperCase();
    if (key in out) out[key] += Number(String(it.metro_quadrado).replace(",", ".")) * (Number(it.quantidade_paineis) || 1);
  }
  return out;
}

const getOrder = async (id: number) => {
  const r = await s.request("GET", `/pedidos/${id}`, { token: s.adminToken });
  return r.status === 200 ? r.body : null;
};

/** Runs one write and checks that stock moved exactly as the orders' before/after say. Returns the write's reply. */
async function expectStockFollows(ids: number[], write: () => Promise<{ status: number; body: any }>, created?: (body: any) => number[]) {
  const before = await Promise.all(ids.map(getOrder));
  const stockBefore = { OXFORD: stockOf("OXFORD"), HELANCA: stockOf("HELANCA") };
  const reply = await write();
  expect(reply.status, JSON.stringify(reply.body)).toBeLessThan(300);
  const allIds = [...ids, ...(created?.(reply.body) ?? [])];
  const after = await Promise.all(allIds.map(getOrder));
  for (const name of ["OXFORD", "HELANCA"] as const) {
    let expected = 0;
    for (const i of allIds.keys()) expected += consumed(i < before.length ? before[i] : null)[name] - consumed(after[i])[name];
    expect(stockOf(name) - stockBefore[name], `${name}`).toBeCloseTo(expected, 6);
  }
  return reply;
}

const post = (path: string, body: unknown) => () => s.request("POST", path, { token: s.adminToken, body });
const patch = (path: string, body: unknown) => () => s.request("PATCH", path, { token: s.adminToken, body });

beforeAll(async () => {
  s = await startTestServer({ env: { MATERIAL_STOCK_AUTO_DEDUCTION: "true" } });
  for (const nome of ["Oxford", "Helanca"] as const) {
    const r = await s.request("POST", "/materiais/", { token: s.adminToken, body: { nome, tipo: "tecido", estoque_metros: START } });
    expect(r.status).toBeLessThan(300);
    MATERIALS[nome.toUpperCase() as keyof typeof MATERIALS] = r.body.id;
  }
  await s.request("POST", "/designers/", { token: s.adminToken, body: { nome: "Ana" } });
});
afterAll(() => s.stop());

describe("material stock follows every order-writing route", () => {
  it("create, PATCH, item patch, batch-status, drafts, promote, designer panel and delete", async () => {
    const created = (b: any) => [b.id];
    const a = (
      await expectStockFollows(
        [],
        post("/pedidos/", {
          cliente: "A",
          data_entrada: "2026-11-29",
          items: [item("OXFORD", "1.5"), { ...item("helanca", "2", "3"), designer: "Ana" }],
        }),
        created,
      )
    ).body;
    expect(stockOf("OXFORD")).toBe(START - 3);
    expect(stockOf("HELANCA")).toBe(START - 6);
    const b = (
      await expectStockFollows([], post("/pedidos/", { cliente: "B", data_entrada: "2026-11-29", items: [item("Oxford", "1")] }), created)
    ).body;

    // PATCH: fields only, items replaced (one changed, one removed, one added), freight.
    await expectStockFollows([a.id], patch(`/pedidos/${a.id}`, { observacao: "sem mudança de itens" }));
    await expectStockFollows(
      [a.id],
      patch(`/pedidos/${a.id}`, { items: [{ ...a.items[0], metro_quadrado: "2.5" }, item("Helanca", "1", "1")] }),
    );
    const a2 = await getOrder(a.id);
    // Item patch: area, then material.
    await expectStockFollows([a.id], patch(`/pedidos/pedido-itens/${a2.items[0].id}`, { metro_quadrado: "0,5" }));
    await expectStockFollows([a.id], patch(`/pedidos/pedido-itens/${a2.items[0].id}`, { tecido: "Helanca" }));
    // Status by PATCH and by batch, into and out of cancelado (and a status change that keeps consumption).
    await expectStockFollows([a.id], patch(`/pedidos/${a.id}`, { status: "cancelado" }));
    await expectStockFollows([a.id], patch(`/pedidos/${a.id}`, { status: "em_producao" }));
    await expectStockFollows([a.id, b.id], post("/pedidos/batch-status", { id_pedidos: [a.id, b.id], status: "cancelado" }));
    await expectStockFollows([a.id, b.id], post("/pedidos/batch-status", { id_pedidos: [a.id, b.id], status: "pendente" }));
    await expectStockFollows([a.id, b.id], post("/pedidos/batch-status", { id_pedidos: [a.id, b.id], status: "entregue" }));

    // A draft consumes nothing until it is promoted.
    const d = (await expectStockFollows([], post("/pedidos/rascunho", { cliente: "D", items: [item("Oxford", "4")] }), created)).body;
    expect(d.rascunho).toBe(true);
    await expectStockFollows([d.id], post(`/pedidos/${d.id}/promover`, {}));
    expect(consumed(await getOrder(d.id)).OXFORD).toBe(8);

    // Designer panel writes go through the same hook (and move nothing: art status and comments are not area).
    const c = (
      await expectStockFollows(
        [],
        post("/pedidos/", { cliente: "C", data_entrada: "2026-11-29", items: [{ ...item("Oxford", "1"), designer: "Ana" }] }),
        created,
      )
    ).body;
    await expectStockFollows([c.id], patch(`/designers/itens/${c.items[0].id}/status-arte`, { status_arte: "liberado" }));
    await expectStockFollows([c.id], post(`/designers/itens/${c.items[0].id}/comentarios`, { texto: "ok" }));

    // Delete gives back what the order held.
    for (const id of [a.id, b.id, c.id, d.id])
      await expectStockFollows([id], () => s.request("DELETE", `/pedidos/${id}`, { token: s.adminToken }));
    expect(stockOf("OXFORD")).toBe(START);
    expect(stockOf("HELANCA")).toBe(START);
  });

  it("a shortage refuses the whole write (400) and leaves order and stock as they were", async () => {
    const o = (
      await s.request("POST", "/pedidos/", {
        token: s.adminToken,
        body: { cliente: "A", data_entrada: "2026-11-29", items: [item("Oxford", "10")] },
      })
    ).body;
    const before = { stock: stockOf("OXFORD"), orders: count(), order: await getOrder(o.id) };
    const big = item("Oxford", "5000");
    for (const attempt of [
      post("/pedidos/", { cliente: "B", data_entrada: "2026-11-29", items: [big] }),
      patch(`/pedidos/${o.id}`, { items: [{ ...o.items[0], metro_quadrado: "5000" }] }),
      patch(`/pedidos/pedido-itens/${o.items[0].id}`, { metro_quadrado: "5000" }),
    ]) {
      const r = await attempt();
      expect(r.status).toBe(400);
      expect(r.body.detail).toMatch(/Estoque insuficiente para o material 'Oxford'/);
    }
    expect(stockOf("OXFORD")).toBe(before.stock);
    expect(count()).toBe(before.orders);
    expect(await getOrder(o.id)).toEqual(before.order);
  });

  it("a write that emits no event cannot move stock: a failed PATCH (404) and a read change nothing", async () => {
    const before = stockOf("OXFORD");
    expect((await patch("/pedidos/999999", { status: "cancelado" })()).status).toBe(404);
    await s.request("GET", "/pedidos/", { token: s.adminToken });
    expect(stockOf("OXFORD")).toBe(before);
  });
});
