import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { insertFixtureOrder } from "./helpers/catalog-fixtures.ts";
import * as v from "valibot";
import { adjustStock, consumption, stockDelta } from "../lib/catalogs/stock.ts";
import { createOrder, deleteOrder, updateOrder } from "../lib/orders/index.ts";
import { createOrderSchema, updateOrderSchema } from "../lib/orders/schemas.ts";
import { itemArea, itemQuantity, parseDecimal } from "../lib/catalogs/measure.ts";

let s: TestServer;
let token: string;

beforeAll(async () => {
  s = await startTestServer();
  token = (await s.createUser("mara", "mara-pass-123")).token;
  // Three live orders, one cancelled (left out), one draft (left out).
  insertFixtureOrder(s.deps.db, { data_entrada: "2026-11-01" }, [
    {
      tipo_producao: "painel",
      tecido: "Oxford",
      largura: "2",
      altura: "1,5",
      quantidade_paineis: "2",
      acabamento: { overloque: true, elastico: false, ilhos: true },
      quantidade_ilhos: "8",
    },
    { tipo_producao: "lona", tecido: " oxford ", metro_quadrado: "1.5", emenda: "com-emenda" },
  ]);
  insertFixtureOrder(s.deps.db, { data_entrada: "2026-11-02", status: "em_producao" }, [
    { tipo_producao: "painel", tecido: "Helanca", largura: "3", altura: "2" },
    { tipo_producao: "adesivo" },
  ]);
  insertFixtureOrder(s.deps.db, { data_entrada: "2026-11-05", status: "pronto" }, [
    { tipo_producao: "painel", tecido: "Helanca", largura: "1", altura: "1", emenda: "sem-emenda" },
  ]);
  insertFixtureOrder(s.deps.db, { data_entrada: "2026-11-02", status: "cancelado" }, [
    { tipo_producao: "painel", tecido: "Oxford", metro_quadrado: "100" },
  ]);
  insertFixtureOrder(s.deps.db, { data_entrada: "2026-11-02", rascunho: true }, [
    { tipo_producao: "painel", tecido: "Oxford", metro_quadrado: "100" },
  ]);
});
afterAll(() => s?.stop());

describe("measures", () => {
  it("parses decimals leniently and applies one area × quantity rule", () => {
    expect(parseDecimal("1,5")).toBe(1.5);
    expect(parseDecimal("1.234,5")).toBe(1234.5);
    expect(parseDecimal(" 2.25 ")).toBe(2.25);
    expect(parseDecimal("abc")).toBeNull();
    expect(itemArea({ metro_quadrado: "0", largura: "2", altura: "3" })).toBe(6);
    expect(itemArea({ largura: "2" })).toBe(1);
    expect(itemQuantity({ tipo_producao: "lona", quantidade_paineis: "0", quantidade_lona: "3" })).toBe(3);
    expect(itemQuantity({})).toBe(1);
  });
});

describe("GET /materiais/stats", () => {
  it("ranks materials by m² (area × pieces) without cancelled orders or drafts", async () => {
    const r = await s.request("GET", "/materiais/stats", { token });
    expect(r.status).toBe(200);
    // Oxford: 2×1.5×2 + 1.5 = 7.5; Helanca: 6 + 1 = 7; NÃO INFORMADO: 1.
    expect(r.body.ranking_materiais).toEqual([
      { nome: "OXFORD", quantidade_itens: 2, area_total_m2: 7.5, percentual_area: 48.39 },
      { nome: "HELANCA", quantidade_itens: 2, area_total_m2: 7, percentual_area: 45.16 },
      { nome: "NÃO INFORMADO", quantidade_itens: 1, area_total_m2: 1, percentual_area: 6.45 },
    ]);
    expect(r.body.kpis).toEqual({
      total_itens: 5,
      total_area_m2: 15.5,
      material_mais_usado: "OXFORD",
      acabamento_mais_usado: expect.any(String),
      total_ilhos: 8,
      total_itens_com_ilhos: 1,
      data_pico: "2026-11-01",
      m2_pico: 7.5,
      media_m2_dia: 5.17,
    });
    const acab = Object.fromEntries(r.body.ranking_acabamentos.map((a: any) => [a.nome, a.quantidade_itens]));
    expect(acab).toEqual({ OVERLOQUE: 1, "ILHÓS (PRESENÇA)": 1, "ILHÓS (QUANTIDADE)": 1, EMENDA: 1 });
    expect(r.body.ranking_acabamentos[0]).toMatchObject({ area_total_m2: 0, percentual_area: 20 });
    expect(Object.keys(r.body.por_tipo_producao).sort()).toEqual(["adesivo", "lona", "painel"]);
    expect(r.body.por_tipo_producao.painel.map((x: any) => x.nome)).toEqual(["HELANCA", "OXFORD"]);
  });

  it("filters by entry date (inclusive) and production type", async () => {
    const r = await s.request("GET", "/materiais/stats?data_inicio=2026-11-02&data_fim=2026-11-05&tipo_producao=painel", { token });
    expect(r.body.kpis.total_itens).toBe(2);
    expect(r.body.kpis.media_m2_dia).toBe(1.75); // 7 m² over 4 days
    expect(r.body.ranking_materiais.map((x: any) => x.nome)).toEqual(["HELANCA"]);
  });

  it("rejects a malformed date with a 422", async () => {
    const r = await s.request("GET", "/materiais/stats?data_inicio=31/02/2026", { token });
    expect(r.status).toBe(422);
    expect(r.body.detail[0].loc).toEqual(["query", "data_inicio"]);
  });

  it("returns empty KPIs for a period without orders", async () => {
    const r = await s.request("GET", "/materiais/stats?data_inicio=2030-01-01", { token });
    expect(r.body.kpis).toMatchObject({ total_itens: 0, total_area_m2: 0, material_mais_usado: null, data_pico: null, media_m2_dia: 0 });
    expect(r.body.ranking_materiais).toEqual([]);
  });
});

describe("GET /materiais/stats/evolucao", () => {
  it("gives m² per day with the three most used materials", async () => {
    const r = await s.request("GET", "/materiais/stats/evolucao", { token });
    expect(r.body.top_3_nomes).toEqual(["OXFORD", "HELANCA", "NÃO INFORMADO"]);
    expect(r.body.evolucao).toEqual([
      { data: "2026-11-01", total: 7.5, top_materiais: { OXFORD: 7.5, HELANCA: 0, "NÃO INFORMADO": 0 } },
      { data: "2026-11-02", total: 7, top_materiais: { OXFORD: 0, HELANCA: 6, "NÃO INFORMADO": 1 } },
      { data: "2026-11-05", total: 1, top_materiais: { OXFORD: 0, HELANCA: 1, "NÃO INFORMADO": 0 } },
    ]);
  });

  it("gives one zero entry for data_fim when there is no data", async () => {
    const r = await s.request("GET", "/materiais/stats/evolucao?data_inicio=2031-01-01&data_fim=2031-01-31", { token });
    expect(r.body).toEqual({ top_3_nomes: [], evolucao: [{ data: "2031-01-31", total: 0, top_materiais: {} }] });
  });
});

describe("GET /materiais/estatisticas/uso", () => {
  it("counts uses per material and matches the catalog by folded name", async () => {
    const oxford = await s.request("POST", "/materiais/", { body: { nome: "OXFORD", tipo: "tecido" }, token });
    await s.request("POST", "/materiais/", { body: { nome: "Sem uso", tipo: "tecido" }, token });
    await s.request("POST", "/materiais/", { body: { nome: "Inativo", tipo: "tecido", ativo: false }, token });
    const r = await s.request("GET", "/materiais/estatisticas/uso", { token });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      ordem: "mais",
      total_pedidos_analisados: 3,
      total_itens_com_material: 4,
      total_materiais_distintos_com_uso: 2,
    });
    expect(r.body.materiais).toEqual([
      { material_id: null, nome_material: "HELANCA", cadastrado: false, ativo: null, quantidade_usos: 2, percentual_uso: 50 },
      { material_id: oxford.body.id, nome_material: "OXFORD", cadastrado: true, ativo: true, quantidade_usos: 2, percentual_uso: 50 },
    ]);
    const all = await s.request(
      "GET",
      "/materiais/estatisticas/uso?incluir_sem_uso=true&ordem=menos&somente_ativos=false&incluir_cancelados=true&limit=3",
      { token },
    );
    expect(all.body.materiais.map((m: any) => [m.nome_material, m.quantidade_usos])).toEqual([
      ["Inativo", 0],
      ["Sem uso", 0],
      ["HELANCA", 2],
    ]);
    expect(all.body.total_pedidos_analisados).toBe(4);
    const active = await s.request("GET", "/materiais/estatisticas/uso?incluir_sem_uso=true", { token });
    expect(active.body.materiais.map((m: any) => m.nome_material)).not.toContain("Inativo");
    expect((await s.request("GET", "/materiais/estatisticas/uso?limit=0", { token })).status).toBe(422);
    expect((await s.request("GET", "/materiais/estatisticas/uso?ordem=x", { token })).status).toBe(422);
  });
});

describe("stock deduction rule (lib/catalogs/stock.ts)", () => {
  const items = [
    { tecido: "Tactel", largura: "2", altura: "1", quantidade_paineis: "3" },
    { tecido: "tactel ", metro_quadrado: "0,5" },
    { tecido: "Desconhecido", metro_quadrado: "9" },
    { descricao: "sem material" },
  ];

  it("computes consumption per folded material and the before/after delta", () => {
    expect(Object.fromEntries(consumption(items))).toEqual({ tactel: 6.5, desconhecido: 9 });
    const before = { status: "pendente", items };
    expect(Object.fromEntries(stockDelta(null, before))).toEqual({ tactel: 6.5, desconhecido: 9 });
    expect(Object.fromEntries(stockDelta(before, null))).toEqual({ tactel: -6.5, desconhecido: -9 });
    expect(Object.fromEntries(stockDelta(before, { ...before, status: "cancelado" }))).toEqual({ tactel: -6.5, desconhecido: -9 });
    expect(stockDelta(before, { ...before, status: "pronto" }).size).toBe(0);
    expect(stockDelta(null, { ...before, rascunho: true }).size).toBe(0);
    expect(Object.fromEntries(stockDelta(before, { status: "pendente", items: [items[0]] }))).toEqual({ tactel: -0.5, desconhecido: -9 });
  });

  it("applies the delta inside the transaction, and rejects the whole write when stock runs out", async () => {
    const created = await s.request("POST", "/materiais/", { body: { nome: "Tactel", tipo: "tecido", estoque_metros: 10 }, token });
    const stock = async () => (await s.request("GET", `/materiais/${created.body.id}`, { token })).body.estoque_metros;
    const order = { status: "pendente", items };
    s.deps.db.writeSync((tx) => adjustStock(tx, false, null, order));
    expect(await stock()).toBe(10); // off by default: nothing happens
    s.deps.db.writeSync((tx) => adjustStock(tx, true, null, order));
    expect(await stock()).toBe(3.5);
    let error: any;
    try {
      s.deps.db.writeSync((tx) => {
        tx.run("UPDATE material SET observacao = 'escrito' WHERE id = ?", created.body.id);
        adjustStock(tx, true, null, order);
      });
    } catch (e) {
      error = e;
    }
    expect(error?.status).toBe(400);
    expect(error?.detail).toBe("Estoque insuficiente para o material 'Tactel'. Disponível: 3.50m, necessário: 6.50m.");
    const after = (await s.request("GET", `/materiais/${created.body.id}`, { token })).body;
    expect(after).toMatchObject({ estoque_metros: 3.5, observacao: null });
    s.deps.db.writeSync((tx) => adjustStock(tx, true, order, null));
    expect(await stock()).toBe(10);
  });
});

describe("stock deduction on real order writes (the in-transaction hook of the order events)", () => {
  it("takes stock on create, follows edits and cancellations, returns it on delete, and refuses shortages whole", async () => {
    const on = await startTestServer({ env: { MATERIAL_STOCK_AUTO_DEDUCTION: "true" } });
    try {
      const m = await on.request("POST", "/materiais/", {
        body: { nome: "Cetim Luxo", tipo: "tecido", estoque_metros: 20 },
        token: on.adminToken,
      });
      const stock = async () => (await on.request("GET", `/materiais/${m.body.id}`, { token: on.adminToken })).body.estoque_metros;
      const actor = { id: 1, username: "admin", isAdmin: true };
      const items = [
        { tipo_producao: "painel", descricao: "a", tecido: "cetim luxo", largura: "2", altura: "1,5", quantidade_paineis: "2" },
      ];
      const order = await createOrder(on.deps, v.parse(createOrderSchema, { cliente: "C", data_entrada: "2026-11-29", items }), actor);
      expect(await stock()).toBe(14); // 20 - 2 × 1.5 × 2
      const edit = (body: unknown) => updateOrder(on.deps, order.id, v.parse(updateOrderSchema, body), actor);
      await edit({ items: [{ ...items[0], id: order.items[0].id, quantidade_paineis: "1" }] });
      expect(await stock()).toBe(17);
      await edit({ status: "cancelado" });
      expect(await stock()).toBe(20);
      await edit({ status: "pendente" });
      expect(await stock()).toBe(17);
      await expect(edit({ items: [{ ...items[0], id: order.items[0].id, quantidade_paineis: "10" }] })).rejects.toThrow(
        /Estoque insuficiente para o material 'Cetim Luxo'/,
      );
      expect(await stock()).toBe(17);
      const kept = (await on.request("GET", `/pedidos/${order.id}`, { token: on.adminToken })).body.items[0].quantidade_paineis;
      expect(kept).toBe("1"); // the refused edit left the order as it was
      await deleteOrder(on.deps, order.id, actor);
      expect(await stock()).toBe(20);
    } finally {
      await on.stop();
    }
    // Off (the default): the write alone.
    const m = await s.request("POST", "/materiais/", { body: { nome: "Cetim Off", tipo: "tecido", estoque_metros: 20 }, token });
    await createOrder(
      s.deps,
      v.parse(createOrderSchema, {
        cliente: "C",
        data_entrada: "2026-11-29",
        items: [{ tipo_producao: "painel", tecido: "cetim off", metro_quadrado: "3" }],
      }),
      { id: 1, username: "admin", isAdmin: true },
    );
    expect((await s.request("GET", `/materiais/${m.body.id}`, { token })).body.estoque_metros).toBe(20);
  });
});
