import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";

// The audit's concurrency checks, bounded: correctness only (nothing lost or duplicated), never timing.
let s: TestServer;
let token: string;

type Ev = { type: string; order_id: number; payload: string };
const lastEventId = () => s.deps.db.writeSync((tx) => tx.get<{ n: number | null }>("SELECT MAX(id) AS n FROM event_log")!.n ?? 0);
const eventsAfter = (id: number) =>
  s.deps.db.writeSync((tx) => tx.all<Ev>("SELECT type, order_id, payload FROM event_log WHERE id > ? ORDER BY id", id));

beforeAll(async () => {
  s = await startTestServer();
  token = (await s.createUser("carga", "carga-pass-123")).token;
});
afterAll(() => s.stop());

describe("parallel writes", () => {
  it("100 parallel creates: 100 orders, 100 distinct numeros, exactly one order_created each", async () => {
    const before = lastEventId();
    const replies = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        s.request("POST", "/pedidos/", {
          token,
          body: {
            cliente: `Paralelo ${i}`,
            data_entrada: "2026-11-29",
            items: [{ tipo_producao: "totem", valor_unitario: "1", quantidade_totem: String(i + 1) }],
          },
        }),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(100).fill(200));
    const numeros = replies.map((r) => r.body.numero);
    expect(new Set(numeros).size).toBe(100);
    const ids = replies.map((r) => r.body.id);
    const evs = eventsAfter(before);
    expect(evs.every((e) => e.type === "order_created")).toBe(true);
    expect(evs.map((e) => e.order_id).sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    for (const e of evs) {
      const p = JSON.parse(e.payload);
      const reply = replies.find((r) => r.body.id === e.order_id)!;
      expect(p.order.numero).toBe(reply.body.numero);
    }
    const dbNumeros = s.deps.db.writeSync((tx) => tx.all<{ numero: string }>("SELECT numero FROM pedidos WHERE cliente LIKE 'Paralelo %'"));
    expect(new Set(dbNumeros.map((r) => r.numero)).size).toBe(100);
  });

  it("concurrent PATCHes and item patches of one order: no lost update, totals consistent, one event per commit", async () => {
    const items = Array.from({ length: 20 }, (_, i) => ({
      tipo_producao: "totem",
      descricao: `item ${i}`,
      valor_unitario: "1.00",
      quantidade_totem: "1",
    }));
    const order = (await s.request("POST", "/pedidos/", { token, body: { cliente: "Alvo", data_entrada: "2026-11-29", items } })).body;
    const before = lastEventId();
    const itemPatches = order.items.map((it: any, i: number) =>
      s.request("PATCH", `/pedidos/pedido-itens/${it.id}`, { token, body: { quantidade_totem: String(i + 2), pedido_id: order.id } }),
    );
    const fretePatches = Array.from({ length: 10 }, (_, i) =>
      s.request("PATCH", `/pedidos/${order.id}`, { token, body: { valor_frete: `${i}.00`, observacao: `obs ${i}` } }),
    );
    const replies = await Promise.all([...itemPatches, ...fretePatches]);
    expect(replies.map((r) => r.status)).toEqual(Array(30).fill(200));

    const final = (await s.request("GET", `/pedidos/${order.id}`, { token })).body;
    // every item patch survived: quantities 2..21 → Σ = 230
    expect(final.items.map((it: any) => it.quantidade_totem)).toEqual(order.items.map((_: any, i: number) => String(i + 2)));
    const frete = Number(final.valor_frete);
    expect(final.valor_itens).toBe("230.00");
    expect(Number(final.valor_total)).toBe(230 + frete);
    expect(final.observacao).toBe(`obs ${frete}`);

    const evs = eventsAfter(before);
    expect(evs.length).toBe(30);
    expect(evs.every((e) => e.type === "order_updated" && e.order_id === order.id)).toBe(true);
    // each event carries a self-consistent order: total = items + freight, never a half-applied state
    for (const e of evs) {
      const o = JSON.parse(e.payload).order;
      expect(Math.round(Number(o.valor_total) * 100)).toBe(Math.round((Number(o.valor_itens) + Number(o.valor_frete)) * 100));
    }
    // the last event is the final state
    expect(JSON.parse(evs.at(-1)!.payload).order.valor_total).toBe(final.valor_total);
  });
});
