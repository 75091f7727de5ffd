import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";

let s: TestServer;
let user: { id: number; token: string };

type Ev = { type: string; order_id: number | null; payload: string };
const lastEventId = () => s.deps.db.writeSync((tx) => tx.get<{ n: number | null }>("SELECT MAX(id) AS n FROM event_log")!.n ?? 0);
const eventsAfter = (id: number) =>
  s.deps.db.writeSync((tx) => tx.all<Ev>("SELECT type, order_id, payload FROM event_log WHERE id > ? ORDER BY id", id));
const create = async (body: Record<string, unknown> = {}) =>
  (await s.request("POST", "/pedidos/", { token: user.token, body: { cliente: "Cliente", data_entrada: "2026-11-10", ...body } })).body;

beforeAll(async () => {
  s = await startTestServer();
  user = await s.createUser("flow", "flow-pass-123");
});
afterAll(() => s.stop());

describe("drafts: POST /pedidos/rascunho, GET /pedidos/rascunhos, POST /pedidos/{id}/promover", () => {
  it("a draft takes the client's raw form (numbers), has no numero, stays out of the lists until promoted", async () => {
    const d = await s.request("POST", "/pedidos/rascunho", {
      token: user.token,
      body: {
        cliente: "Rascunho Ltda",
        rascunho: true,
        status: "pendente",
        valor_frete: 5,
        data_entrega: null,
        items: [{ item_name: "Banner", quantity: 2, unit_price: 10 }],
      },
    });
    expect(d.status).toBe(200);
    expect(d.body).toMatchObject({ rascunho: true, numero: null, valor_itens: "20.00", valor_total: "25.00" });
    expect(d.body.data_entrada).toBe(new Date().toISOString().slice(0, 10));
    expect(d.body.items[0]).toMatchObject({ item_name: "Banner", quantity: 2, unit_price: 10 });
    expect(Number.isInteger(d.body.items[0].id)).toBe(true);

    const list = await s.request("GET", "/pedidos/", { token: user.token });
    expect(list.body.some((o: any) => o.id === d.body.id)).toBe(false);
    const drafts = await s.request("GET", "/pedidos/rascunhos", { token: user.token });
    expect(drafts.body.map((o: any) => [o.id, o.rascunho])).toContainEqual([d.body.id, true]);

    const edited = await s.request("PATCH", `/pedidos/${d.body.id}`, {
      token: user.token,
      body: { rascunho: true, valor_frete: "7.00", numero: "" },
    });
    expect(edited.body).toMatchObject({ rascunho: true, numero: null, valor_total: "27.00" });

    const before = lastEventId();
    const p = await s.request("POST", `/pedidos/${d.body.id}/promover`, { token: user.token });
    expect(p.status).toBe(200);
    expect(p.body.rascunho).toBe(false);
    expect(p.body.numero).toMatch(/^\d{10}$/);
    expect(eventsAfter(before).map((e) => e.type)).toEqual(["order_created"]);
    expect((await s.request("GET", "/pedidos/", { token: user.token })).body.some((o: any) => o.id === d.body.id)).toBe(true);
    expect((await s.request("GET", "/pedidos/rascunhos", { token: user.token })).body.some((o: any) => o.id === d.body.id)).toBe(false);
    expect((await s.request("POST", `/pedidos/${d.body.id}/promover`, { token: user.token })).status).toBe(409);
    expect((await s.request("POST", "/pedidos/99999999/promover", { token: user.token })).status).toBe(404);
  });

  it("a draft without a customer cannot be promoted", async () => {
    const d = await s.request("POST", "/pedidos/rascunho", { token: user.token, body: {} });
    expect(d.status).toBe(200);
    const p = await s.request("POST", `/pedidos/${d.body.id}/promover`, { token: user.token });
    expect(p.status).toBe(400);
    expect((await s.request("GET", `/pedidos/${d.body.id}`, { token: user.token })).body.rascunho).toBe(true);
  });
});

describe("POST /pedidos/batch-status", () => {
  it("sets the status of every found order (entregue also sets pronto), with updated + status_updated events each", async () => {
    const a = await create();
    const b = await create({ status: "pronto", pronto: true });
    const before = lastEventId();
    const r = await s.request("POST", "/pedidos/batch-status", {
      token: user.token,
      body: { id_pedidos: [a.id, b.id, 99999999, a.id], status: "entregue" },
    });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ count: 2, status: "entregue" });
    for (const id of [a.id, b.id]) {
      const o = (await s.request("GET", `/pedidos/${id}`, { token: user.token })).body;
      expect(o).toMatchObject({ status: "entregue", pronto: true });
    }
    const evs = eventsAfter(before);
    expect(evs.map((e) => [e.type, e.order_id])).toEqual([
      ["order_updated", a.id],
      ["order_status_updated", a.id],
      ["order_updated", b.id],
      ["order_status_updated", b.id],
    ]);
    expect(JSON.parse(evs[1].payload).order).toMatchObject({ id: a.id, status: "entregue", pronto: true });
  });

  it("404 (not 500) when none exists; 422 for a bad status; no events", async () => {
    const before = lastEventId();
    const none = await s.request("POST", "/pedidos/batch-status", {
      token: user.token,
      body: { id_pedidos: [99999998], status: "pronto" },
    });
    expect(none.status).toBe(404);
    expect(none.body.detail).toBe("Nenhum pedido encontrado");
    expect(
      (await s.request("POST", "/pedidos/batch-status", { token: user.token, body: { id_pedidos: [1], status: "done" } })).status,
    ).toBe(422);
    expect(eventsAfter(before)).toEqual([]);
  });
});

describe("item ids and addressing", () => {
  it("an item id from another order is not stolen: it becomes a new item of this order", async () => {
    const a = await create({ items: [{ tipo_producao: "totem", descricao: "A1" }] });
    const b = await create({ items: [{ tipo_producao: "totem", descricao: "B1" }] });
    const r = await s.request("PATCH", `/pedidos/${b.id}`, {
      token: user.token,
      body: { items: [{ id: a.items[0].id, descricao: "copiado" }, { ...b.items[0] }] },
    });
    expect(r.status).toBe(200);
    expect(r.body.items[0].id).not.toBe(a.items[0].id);
    expect(r.body.items[1].id).toBe(b.items[0].id);
    const aAfter = (await s.request("GET", `/pedidos/${a.id}`, { token: user.token })).body;
    expect(aAfter.items).toEqual(a.items);
  });

  it("an empty items array removes every item and zeroes the items total", async () => {
    const a = await create({ valor_frete: "3", items: [{ tipo_producao: "totem", valor_unitario: "9" }] });
    const r = await s.request("PATCH", `/pedidos/${a.id}`, { token: user.token, body: { items: [] } });
    expect(r.body).toMatchObject({ items: [], valor_itens: "0.00", valor_total: "3.00" });
  });
});
