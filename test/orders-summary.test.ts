import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";

let s: TestServer;
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const ids: Record<string, number> = {};

const create = async (key: string, body: Record<string, unknown>, fix: { criado?: string; atualizado?: string } = {}) => {
  const r = await s.request("POST", "/pedidos/", { token: s.adminToken, body: { cliente: key, ...body } });
  if (r.status !== 200) throw new Error(r.text);
  ids[key] = r.body.id;
  s.deps.db.writeSync((tx) => {
    if (fix.criado) tx.run("UPDATE pedidos SET data_criacao = ? WHERE id = ?", fix.criado, r.body.id);
    if (fix.atualizado) tx.run("UPDATE pedidos SET ultima_atualizacao = ? WHERE id = ?", fix.atualizado, r.body.id);
  });
};

beforeAll(async () => {
  s = await startTestServer();
  const old = `${day(-20)}T10:00:00.000Z`;
  await create(
    "A",
    { data_entrada: day(0), data_entrega: day(-2), prioridade: "ALTA", forma_envio: "Correios", financeiro: true },
    { criado: old },
  );
  await create("B", {
    data_entrada: day(-1),
    data_entrega: day(3),
    prioridade: "ALTA",
    forma_envio: "Correios",
    status: "em_producao",
    conferencia: true,
  });
  await create(
    "C",
    { data_entrada: day(-10), data_entrega: day(-1), status: "pronto", forma_envio: "Motoboy" },
    { criado: old, atualizado: `${day(-2)}T12:00:00.000Z` },
  );
  await create(
    "D",
    { data_entrada: day(-10), data_entrega: day(-5), status: "entregue", forma_envio: "" },
    { criado: old, atualizado: `${day(-3)}T12:00:00.000Z` },
  );
  await create(
    "E",
    { data_entrada: day(-12), data_entrega: day(-9), prioridade: "ALTA", status: "cancelado", sublimacao: true },
    { criado: old },
  );
  await s.request("POST", "/pedidos/rascunho", { token: s.adminToken, body: { cliente: "rascunho", prioridade: "ALTA" } });
});
afterAll(() => s.stop());

describe("GET /pedidos/summary", () => {
  it("computes every figure of the original over real orders (drafts excluded)", async () => {
    const r = await s.request("GET", "/pedidos/summary", { token: s.adminToken });
    expect(r.status).toBe(200);
    const b = r.body;
    expect(b).toMatchObject({
      total: 5,
      pendentes: 1,
      em_producao: 1,
      concluidos: 2,
      concluidos_hoje: 0,
      atrasados: 1,
      urgentes: 2,
      hoje: 2,
      efficiency_rate: 50,
      avg_production_time: 8,
      production_efficiency: { financeiro: 25, conferencia: 25, sublimacao: 0, costura: 0, expedicao: 0 },
      status_counts: { pendente: 1, em_producao: 1, pronto: 1, entregue: 1, cancelado: 1 },
    });
    expect(b.avg_delay_time).toBe(Math.round((Date.now() - Date.parse(`${day(-2)}T00:00:00Z`)) / 86_400_000));
    expect(b.shipping_methods).toEqual([
      { name: "Correios", count: 2, percentage: 40 },
      { name: "Não especificado", count: 2, percentage: 40 },
      { name: "Motoboy", count: 1, percentage: 20 },
    ]);
    expect(b.recent_orders.map((o: any) => o.id)).toEqual([ids.B, ids.D, ids.C, ids.A]);
    expect(b.urgent_orders.map((o: any) => o.id)).toEqual([ids.A, ids.B]);
    expect(b.recent_orders[0].items).toEqual([]);
  });
});
