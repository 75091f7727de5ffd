// The closing analytics end to end: orders seeded through the API, every /relatorios-fechamentos, /relatorios and
// /relatorios-envios route read back over HTTP and checked against figures worked out by hand from the seed
// (money to the cent), plus the bad inputs that must be 400s naming the parameter.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { makePng } from "./helpers/images.ts";

let s: TestServer;
let user: string;
const id: Record<string, number> = {};
const numero: Record<string, string> = {};

const F = "/relatorios-fechamentos/pedidos";
const MARCH = "data_inicio=2026-03-01&data_fim=2026-03-31";
const MARCH_SE = "start_date=2026-03-01&end_date=2026-03-31";

async function create(key: string, body: Record<string, unknown>) {
  const r = await s.request("POST", "/pedidos/", { token: s.adminToken, body });
  expect(r.status, r.text).toBe(200);
  id[key] = r.body.id;
  numero[key] = r.body.numero;
  return r.body;
}

async function get(path: string, token = user) {
  const r = await s.request("GET", path, { token });
  expect(r.status, `${path}: ${r.text}`).toBe(200);
  return r.body;
}

const png = `data:image/png;base64,${makePng(2, 2).toString("base64")}`;

beforeAll(async () => {
  s = await startTestServer();
  user = (await s.createUser("relatorios", "relatorios-pass-1")).token;
  // O1: pendente, two items (Ana / Bruno), odd-cent freight, an image.
  await create("o1", {
    cliente: "João Ávila",
    data_entrada: "2026-03-02",
    data_entrega: "2026-03-09",
    status: "pendente",
    valor_frete: "10,01",
    forma_envio: "Correios",
    items: [
      {
        tipo_producao: "painel",
        descricao: "Painel fundo",
        designer: "Ana",
        vendedor: "Carlos",
        valor_unitario: "100.00",
        quantidade_paineis: "2",
        largura: "1,5",
        altura: "2",
        tecido: "Oxford",
        imagem: png,
      },
      {
        tipo_producao: "lona",
        descricao: "Lona",
        designer: "Bruno",
        vendedor: "Carlos",
        valor_unitario: "33.33",
        quantidade_lona: "3",
        metro_quadrado: "2,5",
        tecido: "lona 440",
      },
    ],
  });
  // O2: the same customer folded, the same designer in lower case.
  await create("o2", {
    cliente: "joao avila",
    data_entrada: "2026-03-05",
    data_entrega: "2026-03-20",
    status: "em_producao",
    valor_frete: 0,
    forma_envio: "Retirada",
    items: [
      {
        tipo_producao: "adesivo",
        descricao: "Adesivos",
        designer: "ana",
        vendedor: "Dora",
        valor_unitario: "12.50",
        quantidade_adesivo: "4",
        largura: "0,5",
        altura: "0,5",
        tecido: "Vinil",
      },
    ],
  });
  // O3: pronto; an item without designer; an item whose `subtotal` disagrees with its price (the adjustment).
  await create("o3", {
    cliente: "Maria",
    data_entrada: "2026-03-10",
    data_entrega: "2026-04-02",
    status: "pronto",
    valor_frete: "25.00",
    forma_envio: "Correios",
    items: [
      { tipo_producao: "totem", descricao: "Totem", designer: "Élida", vendedor: "Dora", valor_unitario: "80.00", quantidade_totem: "1" },
      { tipo_producao: "generica", descricao: "", designer: "", vendedor: "Carlos", valor_unitario: "0.10", quantidade_paineis: "3" },
      {
        tipo_producao: "painel",
        descricao: "Painel extra",
        designer: "Élida",
        vendedor: "Dora",
        valor_unitario: "40.00",
        quantidade_paineis: "1",
        subtotal: "50.00",
      },
    ],
  });
  await create("o4", {
    cliente: "Pedro",
    data_entrada: "2026-03-15",
    data_entrega: "2026-03-16",
    status: "cancelado",
    valor_frete: "5.00",
    forma_envio: "Motoboy",
    items: [
      { tipo_producao: "painel", descricao: "Faixa", designer: "Bruno", vendedor: "Edu", valor_unitario: "10.00", quantidade_paineis: "1" },
    ],
  });
  // O5: delivered, no items at all (freight only).
  await create("o5", {
    cliente: "Pedro",
    data_entrada: "2026-03-31",
    status: "entregue",
    valor_frete: "7.77",
    forma_envio: "Retirada",
    items: [],
  });
  // O6: entered in April, due in March.
  await create("o6", {
    cliente: "Ana Loja",
    data_entrada: "2026-04-01",
    data_entrega: "2026-03-28",
    status: "pendente",
    valor_frete: "3.00",
    forma_envio: "Correios",
    items: [
      { tipo_producao: "lona", descricao: "Lona loja", designer: "Carla", vendedor: "Edu", valor_unitario: "20.00", quantidade_lona: "1" },
    ],
  });
  // A draft in March: never counted anywhere.
  const d = await s.request("POST", "/pedidos/rascunho", {
    token: user,
    body: { cliente: "Rascunho", data_entrada: "2026-03-03", items: [{ tipo_producao: "painel", valor_unitario: "999.00" }] },
  });
  expect(d.status).toBe(200);
});
afterAll(() => s?.stop());

describe("GET …/relatorio-semanal (the client's Fechamentos screen)", () => {
  const strip = (orders: any[]) =>
    orders
      .map((o) => ({
        ...o,
        items: o.items.map((it: any) => ({ ...it, imagem: typeof it.imagem === "string" ? it.imagem.split("?")[0] : it.imagem })),
      }))
      .sort((a, b) => a.id - b.id);

  it("is exactly GET /pedidos/'s list of the period: every status, items and signed images included", async () => {
    for (const mode of ["entrada", "entrega", "qualquer"]) {
      const semanal = await get(`${F}/relatorio-semanal?${MARCH_SE}&date_mode=${mode}`);
      const list = await get(`/pedidos/?${MARCH}&date_mode=${mode}`);
      expect(strip(semanal)).toEqual(strip(list));
    }
    const entrada = await get(`${F}/relatorio-semanal?${MARCH_SE}`);
    expect(entrada.map((o: any) => o.id).sort()).toEqual([id.o1, id.o2, id.o3, id.o4, id.o5].sort());
    const o1 = entrada.find((o: any) => o.id === id.o1);
    expect(o1).toMatchObject({
      status: "pendente",
      valor_total: "310.00",
      valor_frete: "10.01",
      valor_itens: "299.99",
      numero: numero.o1,
      cliente: "João Ávila",
      forma_envio: "Correios",
    });
    expect(o1.items.map((i: any) => [i.designer, i.vendedor, i.tipo_producao, i.descricao])).toEqual([
      ["Ana", "Carlos", "painel", "Painel fundo"],
      ["Bruno", "Carlos", "lona", "Lona"],
    ]);
    expect(o1.items[0].imagem).toMatch(/^\/pedidos\/imagens\/\d+\?exp=\d+&sig=/);
    expect(entrada.find((o: any) => o.id === id.o4).status).toBe("cancelado");
    const qualquer = await get(`${F}/relatorio-semanal?${MARCH_SE}&date_mode=qualquer`);
    expect(qualquer).toHaveLength(6);
  });

  it("filters the customer accent- and case-insensitively", async () => {
    const r = await get(`${F}/relatorio-semanal?${MARCH_SE}&cliente=JOAO`);
    expect(r.map((o: any) => o.id).sort()).toEqual([id.o1, id.o2].sort());
  });
});

describe("counts", () => {
  it("quantidade: by period, mode, status (concluido = pronto + entregue) and folded customer", async () => {
    expect(await get(`${F}/quantidade?${MARCH}`)).toEqual({
      total: 5,
      data_inicio: "2026-03-01",
      data_fim: "2026-03-31",
      date_mode: "entrada",
      status: null,
      cliente: null,
    });
    expect((await get(`${F}/quantidade?${MARCH}&status=concluido`)).total).toBe(2);
    expect((await get(`${F}/quantidade?${MARCH}&status=Em%20Processamento`)).total).toBe(1);
    expect((await get(`${F}/quantidade?${MARCH}&cliente=Jo%C3%A3o`)).total).toBe(2);
    expect((await get(`${F}/quantidade?${MARCH}&date_mode=entrega`)).total).toBe(5);
    expect((await get(`${F}/quantidade?${MARCH}&date_mode=qualquer`)).total).toBe(6);
    expect((await get(`${F}/quantidade`)).total).toBe(6);
  });

  it("por-status: one count per status, the largest first", async () => {
    const r = await get(`${F}/por-status?${MARCH}`);
    expect(r.items).toEqual(["cancelado", "em_producao", "entregue", "pendente", "pronto"].map((status) => ({ status, total: 1 })));
    expect((await get(`${F}/por-status?date_mode=entrega&${MARCH}`)).items).toEqual([
      { status: "pendente", total: 2 },
      { status: "cancelado", total: 1 },
      { status: "em_producao", total: 1 },
      { status: "entregue", total: 1 },
    ]);
  });
});

describe("rankings (item values in cents, names folded)", () => {
  it("por-designer", async () => {
    const r = await get(`${F}/por-designer?${MARCH}`);
    expect(r.category).toBe("designer");
    expect(r.items).toEqual([
      { name: "Ana", pedidos: 2, items: 6, revenue: "250.00" },
      { name: "Élida", pedidos: 1, items: 2, revenue: "120.00" }, // 80.00 + the subtotal item adjusted back to 40.00
      { name: "Bruno", pedidos: 2, items: 4, revenue: "109.99" },
      { name: "Sem designer", pedidos: 1, items: 3, revenue: "0.30" },
    ]);
    expect((await get(`${F}/por-designer?${MARCH}&limit=1`)).items).toHaveLength(1);
    expect((await get(`${F}/por-designer?${MARCH}&status=cancelado`)).items).toEqual([
      { name: "Bruno", pedidos: 1, items: 1, revenue: "10.00" },
    ]);
  });

  it("por-cliente, por-vendedor, por-tipo-producao", async () => {
    expect((await get(`${F}/por-cliente?${MARCH}`)).items).toEqual([
      { name: "João Ávila", pedidos: 2, items: 9, revenue: "349.99" },
      { name: "Maria", pedidos: 1, items: 5, revenue: "120.30" },
      { name: "Pedro", pedidos: 1, items: 1, revenue: "10.00" },
    ]);
    expect((await get(`${F}/por-vendedor?${MARCH}`)).items).toEqual([
      { name: "Carlos", pedidos: 2, items: 8, revenue: "300.29" },
      { name: "Dora", pedidos: 2, items: 6, revenue: "170.00" },
      { name: "Edu", pedidos: 1, items: 1, revenue: "10.00" },
    ]);
    expect((await get(`${F}/por-tipo-producao?${MARCH}`)).items).toEqual([
      { name: "painel", pedidos: 3, items: 4, revenue: "250.00" },
      { name: "lona", pedidos: 1, items: 3, revenue: "99.99" },
      { name: "totem", pedidos: 1, items: 1, revenue: "80.00" },
      { name: "adesivo", pedidos: 1, items: 4, revenue: "50.00" },
      { name: "generica", pedidos: 1, items: 3, revenue: "0.30" },
    ]);
  });
});

describe("money over time", () => {
  it("tendencia by day, week (the Monday) and month", async () => {
    const day = await get(`${F}/tendencia?${MARCH}`);
    expect(day.group_by).toBe("day");
    expect(day.items).toEqual([
      { period: "2026-03-02", pedidos: 1, revenue: "310.00", frete: "10.01", servico: "299.99" },
      { period: "2026-03-05", pedidos: 1, revenue: "50.00", frete: "0.00", servico: "50.00" },
      { period: "2026-03-10", pedidos: 1, revenue: "145.30", frete: "25.00", servico: "120.30" },
      { period: "2026-03-15", pedidos: 1, revenue: "15.00", frete: "5.00", servico: "10.00" },
      { period: "2026-03-31", pedidos: 1, revenue: "7.77", frete: "7.77", servico: "0.00" },
    ]);
    expect((await get(`${F}/tendencia?${MARCH}&group_by=week`)).items).toEqual([
      { period: "2026-03-02", pedidos: 2, revenue: "360.00", frete: "10.01", servico: "349.99" },
      { period: "2026-03-09", pedidos: 2, revenue: "160.30", frete: "30.00", servico: "130.30" }, // 15/03 is a Sunday
      { period: "2026-03-30", pedidos: 1, revenue: "7.77", frete: "7.77", servico: "0.00" },
    ]);
    expect((await get(`${F}/tendencia?${MARCH}&group_by=month`)).items).toEqual([
      { period: "2026-03", pedidos: 5, revenue: "528.07", frete: "47.78", servico: "480.29" },
    ]);
  });

  it("valor-total, with vendedor/designer keeping orders that hold a matching item", async () => {
    expect(await get(`${F}/valor-total?${MARCH}`)).toMatchObject({ total_pedidos: 5, valor_total: "528.07", date_mode: "entrada" });
    expect(await get(`${F}/valor-total?${MARCH}&designer=ANA`)).toMatchObject({ total_pedidos: 2, valor_total: "360.00", designer: "ANA" });
    expect(await get(`${F}/valor-total?${MARCH}&designer=elida&vendedor=dora`)).toMatchObject({ total_pedidos: 1, valor_total: "145.30" });
    expect(await get(`${F}/valor-total?${MARCH}&designer=ninguem`)).toMatchObject({ total_pedidos: 0, valor_total: "0.00" });
    expect(await get(`${F}/valor-total?${MARCH}&status=concluido&cliente=pedro`)).toMatchObject({ total_pedidos: 1, valor_total: "7.77" });
  });

  it("/relatorios/fechamentos/statistics, trends and rankings (by due date unless told)", async () => {
    expect(await get(`/relatorios/fechamentos/statistics?${MARCH_SE}`)).toEqual({
      total_pedidos: 5,
      total_items: 5,
      total_revenue: "405.77",
      total_frete: "25.78",
      total_servico: "379.99",
      average_ticket: "81.15",
    });
    expect(await get(`/relatorios/fechamentos/statistics?${MARCH_SE}&date_mode=entrada`)).toEqual({
      total_pedidos: 5,
      total_items: 7,
      total_revenue: "528.07",
      total_frete: "47.78",
      total_servico: "480.29",
      average_ticket: "105.61",
    });
    expect(await get(`/relatorios/fechamentos/statistics?${MARCH_SE}&date_mode=entrada&designer=ana`)).toEqual({
      total_pedidos: 2,
      total_items: 2,
      total_revenue: "360.00",
      total_frete: "10.01",
      total_servico: "250.00",
      average_ticket: "180.00",
    });
    expect(await get(`/relatorios/fechamentos/trends?${MARCH_SE}&group_by=month`)).toEqual({
      trends: [{ period: "2026-03", pedidos: 5, revenue: "405.77", frete: "25.78", servico: "379.99" }],
    });
    expect(await get(`/relatorios/fechamentos/rankings/designer?${MARCH_SE}`)).toEqual({
      category: "designer",
      rankings: [
        { name: "Ana", pedidos: 2, items: 6, revenue: "250.00" },
        { name: "Bruno", pedidos: 2, items: 4, revenue: "109.99" },
        { name: "Carla", pedidos: 1, items: 1, revenue: "20.00" },
      ],
    });
  });
});

describe("GET …/relatorio (the grouped closing report)", () => {
  const row = (o: string, descricao: string, frete: string, servico: string) => ({
    ficha: numero[o],
    descricao,
    valor_frete: frete,
    valor_servico: servico,
  });
  const money = (f: string, sv: string) => ({ valor_frete: f, valor_servico: sv });

  it("analitico_designer_cliente, freight per order on the order's first row", async () => {
    const r = await get(`${F}/relatorio?report_type=analitico_designer_cliente&${MARCH_SE}`);
    expect(r).toMatchObject({
      title: "Relatório Analítico — Designer × Cliente",
      period_label: "Período: 01/03/2026 - 31/03/2026",
      status_label: "Status: Todos",
      page: 1,
      report_type: "analitico_designer_cliente",
    });
    expect(r.generated_at).toMatch(/^\d{2}\/\d{2}\/\d{4}, \d{2}:\d{2}:\d{2}$/);
    expect(r.groups).toEqual([
      {
        key: "designer-ana",
        label: "Designer: Ana",
        rows: [],
        subgroups: [
          {
            key: "cliente-joao-avila",
            label: "Cliente: João Ávila",
            rows: [row("o1", "Painel fundo", "10.01", "200.00"), row("o2", "Adesivos", "0.00", "50.00")],
            subtotal: money("10.01", "250.00"),
          },
        ],
        subtotal: money("10.01", "250.00"),
      },
      {
        key: "designer-bruno",
        label: "Designer: Bruno",
        rows: [],
        subgroups: [
          {
            key: "cliente-joao-avila",
            label: "Cliente: João Ávila",
            rows: [row("o1", "Lona", "0.00", "99.99")],
            subtotal: money("0.00", "99.99"),
          },
          { key: "cliente-pedro", label: "Cliente: Pedro", rows: [row("o4", "Faixa", "5.00", "10.00")], subtotal: money("5.00", "10.00") },
        ],
        subtotal: money("5.00", "109.99"),
      },
      {
        key: "designer-elida",
        label: "Designer: Élida",
        rows: [],
        subgroups: [
          {
            key: "cliente-maria",
            label: "Cliente: Maria",
            rows: [row("o3", "Totem", "25.00", "80.00"), row("o3", "Painel extra", "0.00", "40.00")],
            subtotal: money("25.00", "120.00"),
          },
        ],
        subtotal: money("25.00", "120.00"),
      },
      {
        key: "designer-sem-designer",
        label: "Designer: Sem designer",
        rows: [],
        subgroups: [
          { key: "cliente-maria", label: "Cliente: Maria", rows: [row("o3", "generica", "0.00", "0.30")], subtotal: money("0.00", "0.30") },
          {
            key: "cliente-pedro",
            label: "Cliente: Pedro",
            rows: [row("o5", "Pedido sem itens", "7.77", "0.00")],
            subtotal: money("7.77", "0.00"),
          },
        ],
        subtotal: money("7.77", "0.30"),
      },
    ]);
    // Σ valor_total of the five March orders: 310.00 + 50.00 + 145.30 + 15.00 + 7.77 = 528.07
    expect(r.total).toEqual(money("47.78", "480.29"));
  });

  it("proporcional splits each order's freight by item value, remainder to the last item", async () => {
    const r = await get(`${F}/relatorio?report_type=analitico_designer_cliente&${MARCH_SE}&frete_distribution=proporcional`);
    const fretes = (label: string) =>
      r.groups.find((g: any) => g.label === label).subgroups.flatMap((sg: any) => sg.rows.map((x: any) => x.valor_frete));
    // O1: 10.01 over 200.00 / 99.99 → 6.67 + 3.34; O3: 25.00 over 80.00 / 0.30 / 40.00 → 16.62 + 0.06 + 8.32
    expect(fretes("Designer: Ana")).toEqual(["6.67", "0.00"]);
    expect(fretes("Designer: Bruno")).toEqual(["3.34", "5.00"]);
    expect(fretes("Designer: Élida")).toEqual(["16.62", "8.32"]);
    expect(fretes("Designer: Sem designer")).toEqual(["0.06", "7.77"]);
    expect(r.groups.map((g: any) => g.subtotal.valor_frete)).toEqual(["6.67", "8.34", "24.94", "7.83"]);
    expect(r.total).toEqual(money("47.78", "480.29"));
    expect(r.frete_distribution).toBe("proporcional");
  });

  it("sintéticos: one row per group, dates in calendar order", async () => {
    const d = await get(`${F}/relatorio?report_type=sintetico_designer&${MARCH_SE}`);
    expect(d.groups.map((g: any) => [g.label, g.rows])).toEqual([
      ["Designer: Ana", [{ ficha: "Pedidos: 2 · Itens: 2", descricao: "Subtotal", ...money("10.01", "250.00") }]],
      ["Designer: Bruno", [{ ficha: "Pedidos: 2 · Itens: 2", descricao: "Subtotal", ...money("5.00", "109.99") }]],
      ["Designer: Élida", [{ ficha: "Pedidos: 1 · Itens: 2", descricao: "Subtotal", ...money("25.00", "120.00") }]],
      ["Designer: Sem designer", [{ ficha: "Pedidos: 2 · Itens: 1", descricao: "Subtotal", ...money("7.77", "0.30") }]],
    ]);
    expect(d.groups[0]).not.toHaveProperty("subgroups");
    const byDate = await get(`${F}/relatorio?report_type=sintetico_data_entrega&${MARCH_SE}&date_mode=qualquer`);
    expect(byDate.groups.map((g: any) => g.label)).toEqual([
      "Data Entrega: 09/03/2026",
      "Data Entrega: 16/03/2026",
      "Data Entrega: 20/03/2026",
      "Data Entrega: 28/03/2026",
      "Data Entrega: 31/03/2026",
      "Data Entrega: 02/04/2026",
    ]);
    expect(byDate.total).toEqual(money("50.78", "500.29")); // the six orders: 551.07
  });

  it("status, customer and item filters", async () => {
    const q = `${F}/relatorio?report_type=sintetico_cliente&${MARCH_SE}`;
    expect((await get(`${q}&status=Concluido`)).total).toEqual(money("42.78", "470.29")); // every order but the cancelled O4
    expect((await get(`${q}&status=Concluido`)).status_label).toBe("Status: Concluído");
    expect((await get(`${q}&status=Cancelado`)).total).toEqual(money("5.00", "10.00"));
    expect((await get(`${q}&status=Em%20Processamento`)).total).toEqual(money("0.00", "50.00"));
    expect((await get(`${q}&cliente=joao`)).groups.map((g: any) => g.label)).toEqual(["Cliente: João Ávila"]);
    const ana = await get(`${q}&designer=ana`);
    expect(ana.groups).toHaveLength(1);
    expect(ana.groups[0].rows[0]).toEqual({ ficha: "Pedidos: 2 · Itens: 2", descricao: "Subtotal", ...money("10.01", "250.00") });
    const carlos = await get(
      `${F}/relatorio?report_type=analitico_vendedor_designer&${MARCH_SE}&vendedor=carlos&frete_distribution=proporcional`,
    );
    expect(carlos.groups.map((g: any) => g.label)).toEqual(["Vendedor: Carlos"]);
    expect(carlos.total).toEqual(money("10.07", "300.29")); // 6.67 + 3.34 + 0.06 of freight with its three items
  });
});

describe("GET /relatorios-envios/pedidos", () => {
  it("is the order list by due date, newest first", async () => {
    const r = await get(`/relatorios-envios/pedidos?${MARCH}`);
    expect(r.map((o: any) => o.id)).toEqual([id.o6, id.o5, id.o4, id.o2, id.o1]);
    const list = await get(`/pedidos/?${MARCH}&date_mode=entrega`);
    expect(r.map((o: any) => o.id).sort()).toEqual(list.map((o: any) => o.id).sort());
    expect(Object.keys(r[0])).toEqual(Object.keys(list[0]));
    expect((await get(`/relatorios-envios/pedidos?${MARCH}&skip=1&limit=2`)).map((o: any) => o.id)).toEqual([id.o5, id.o4]);
    expect((await get(`/relatorios-envios/pedidos?${MARCH}&status=concluido`)).map((o: any) => o.id)).toEqual([id.o5]);
    expect((await get(`/relatorios-envios/pedidos?cliente=pedro`)).map((o: any) => o.id)).toEqual([id.o5, id.o4]);
  });
});

describe("bad input: 400 with a string detail naming the parameter, never a 500", () => {
  const cases: [string, string][] = [
    [`${F}/quantidade?data_inicio=2026-02-30`, "data_inicio"],
    [`${F}/quantidade?data_fim=31/03/2026`, "data_fim"],
    [`${F}/quantidade?date_mode=semana`, "date_mode"],
    [`${F}/quantidade?status=aprovado`, "status"],
    [`${F}/quantidade?data_inicio=2026-03-31&data_fim=2026-03-01`, "data_inicio"],
    [`${F}/por-status?date_mode=x`, "date_mode"],
    [`${F}/por-cliente?limit=0`, "limit"],
    [`${F}/por-designer?limit=51`, "limit"],
    [`${F}/por-vendedor?status=x`, "status"],
    [`${F}/por-tipo-producao?data_inicio=ontem`, "data_inicio"],
    [`${F}/tendencia?group_by=ano`, "group_by"],
    [`${F}/valor-total?date_mode=saida`, "date_mode"],
    [`${F}/relatorio?report_type=analitico&${MARCH_SE}`, "report_type"],
    [`${F}/relatorio?${MARCH_SE}`, "report_type"],
    [`${F}/relatorio?report_type=sintetico_data`, "start_date"],
    [`${F}/relatorio?report_type=sintetico_data&start_date=2026-03-01`, "end_date"],
    [`${F}/relatorio?report_type=sintetico_data&${MARCH_SE}&status=Aprovado`, "status"],
    [`${F}/relatorio?report_type=sintetico_data&${MARCH_SE}&date_mode=x`, "date_mode"],
    [`${F}/relatorio?report_type=sintetico_data&${MARCH_SE}&frete_distribution=igual`, "frete_distribution"],
    [`${F}/relatorio-semanal`, "start_date"],
    [`${F}/relatorio-semanal?start_date=2026-03-01&end_date=amanha`, "end_date"],
    [`${F}/relatorio-semanal?${MARCH_SE}&date_mode=semana`, "date_mode"],
    [`/relatorios/fechamentos/statistics?start_date=2026-3-1`, "start_date"],
    [`/relatorios/fechamentos/statistics?status=x`, "status"],
    [`/relatorios/fechamentos/trends?group_by=year`, "group_by"],
    [`/relatorios/fechamentos/rankings/loja`, "Categoria"],
    [`/relatorios/fechamentos/rankings/designer?limit=abc`, "limit"],
    [`/relatorios-envios/pedidos?limit=abc`, "limit"],
    [`/relatorios-envios/pedidos?status=x`, "status"],
    [`/relatorios-envios/pedidos?data_inicio=2026-99-01`, "data_inicio"],
  ];
  it.each(cases)("%s", async (path, name) => {
    const r = await s.request("GET", path, { token: user });
    expect(r.status, r.text).toBe(400);
    expect(typeof r.body.detail).toBe("string");
    expect(r.body.detail).toContain(name);
  });

  it("every route needs a token", async () => {
    for (const path of [`${F}/quantidade`, `${F}/relatorio-semanal?${MARCH_SE}`, "/relatorios/templates", "/relatorios-envios/pedidos"]) {
      expect((await s.request("GET", path, { token: null })).status).toBe(401);
    }
  });
});

describe("/relatorios/templates", () => {
  it("defaults when none is stored; PUT is admin-only, keeps unknown keys, and every machine then reads the same", async () => {
    const d = await get("/relatorios/templates");
    expect(d.envios).toMatchObject({
      title: "Relatório de Envios",
      headerFields: { periodoLabel: "Período:", dataGeracaoLabel: "Gerado em:", totalPedidosLabel: "Total de pedidos:" },
      styles: { fontSize: 12, titleSize: 20 },
      tableConfig: { headerBg: "#2563eb", headerColor: "#ffffff", cellPadding: 6 },
      pageConfig: { marginTop: 20, marginBottom: 20, marginLeft: 14, marginRight: 14 },
      updatedAt: null,
    });
    expect(d.fechamentos).toMatchObject({
      title: "Relatório de Fechamentos",
      headerFields: { dataGeracaoLabel: "Emitido em:", statusLabel: "Status:" },
      styles: { fontSize: 11, titleSize: 18 },
      tableConfig: { headerBg: "#e2e8f0", cellPadding: 4 },
      pageConfig: { marginTop: 22, marginBottom: 22, marginLeft: 14, marginRight: 14 },
    });

    const body = {
      envios: {
        ...d.envios,
        title: "Envios da Loja",
        styles: { ...d.envios.styles, fontSize: 13 },
        logoUrl: "/logo.png",
        headerFields: { ...d.envios.headerFields, extra: "x" },
      },
      fechamentos: { ...d.fechamentos, title: "Fechamento semanal", tableConfig: null, futureKey: { nested: [1, 2] } },
    };
    const denied = await s.request("PUT", "/relatorios/templates", { token: user, body });
    expect(denied.status).toBe(403);
    const saved = await s.request("PUT", "/relatorios/templates", { token: s.adminToken, body });
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body.envios).toMatchObject({
      title: "Envios da Loja",
      logoUrl: "/logo.png",
      styles: { fontSize: 13 },
      headerFields: { extra: "x" },
    });
    expect(saved.body.fechamentos).toMatchObject({ title: "Fechamento semanal", tableConfig: null, futureKey: { nested: [1, 2] } });
    expect(Date.parse(saved.body.envios.updatedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(await get("/relatorios/templates")).toEqual(saved.body);

    // Saving again replaces (an upsert per type, never a second row).
    const again = await s.request("PUT", "/relatorios/templates", {
      token: s.adminToken,
      body: { ...body, envios: { title: "Só o título" } },
    });
    expect(again.body.envios).toEqual({
      title: "Só o título",
      headerFields: {},
      styles: {},
      tableConfig: null,
      pageConfig: null,
      updatedAt: again.body.envios.updatedAt,
    });
    expect(s.deps.db.raw.prepare("SELECT COUNT(*) AS n FROM relatorio_templates").get()).toMatchObject({ n: 2 });
  });

  it("a template without a title, or not an object, is a 422", async () => {
    for (const body of [
      { envios: { styles: {} }, fechamentos: { title: "x" } },
      { envios: "x", fechamentos: { title: "x" } },
      { envios: { title: "x" } },
    ]) {
      const r = await s.request("PUT", "/relatorios/templates", { token: s.adminToken, body });
      expect(r.status, JSON.stringify(body)).toBe(422);
    }
  });
});
