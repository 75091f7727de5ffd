// Automação end to end: m² and money per order, type and fabric over API-seeded orders; the alert types on dates
// chosen around the shop's today (São Paulo, worked out here with Intl on its own); the order lookup by numero.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { alerts } from "../lib/reports/automacao.ts";

let s: TestServer;
let user: string;
const id: Record<string, number> = {};
const numero: Record<string, string> = {};

/** The shop's today, computed independently of lib/time.ts. */
const spToday = () =>
  new Intl.DateTimeFormat("en-CA", { timeZone: "America/Sao_Paulo", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
const plusDays = (d: string, n: number) => new Date(Date.parse(`${d}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

async function create(key: string, body: Record<string, unknown>) {
  const r = await s.request("POST", "/pedidos/", { token: s.adminToken, body: { cliente: `Cliente ${key}`, ...body } });
  expect(r.status, r.text).toBe(200);
  id[key] = r.body.id;
  numero[key] = r.body.numero;
}
/** The clock moved on: the order was last touched `h` hours ago. */
const touchedAgo = (key: string, h: number) =>
  s.deps.db.raw.prepare("UPDATE pedidos SET ultima_atualizacao = ? WHERE id = ?").run(hoursAgo(h), id[key]);
const get = async (path: string) => {
  const r = await s.request("GET", path, { token: user });
  expect(r.status, `${path}: ${r.text}`).toBe(200);
  return r.body;
};

let today: string;
let draftId: number;

beforeAll(async () => {
  s = await startTestServer();
  user = (await s.createUser("automacao", "automacao-pass-1")).token;
  // A legacy numero (new ones are digits only): written as a takeover would have left it.
  await create("custom", { data_entrada: "2024-01-10", status: "entregue" });
  s.deps.db.writeSync((tx) => {
    tx.run("UPDATE pedidos SET numero = 'ABC-77' WHERE id = ?", id.custom);
    tx.run("UPDATE sequences SET value = 0 WHERE name = 'pedido_numero'"); // the next order is 0000000001 again
  });
  // Production figures in June 2025.
  await create("p1", {
    data_entrada: "2025-06-10",
    data_entrega: "2025-06-15",
    status: "entregue",
    valor_frete: "10.00",
    items: [
      { tipo_producao: "painel", tecido: "Oxford", largura: "3,0", altura: "2,0", quantidade_paineis: "2", valor_unitario: "150.00" },
      { tipo_producao: "lona", tecido: "lona 440", largura: "1", altura: "1", quantidade_lona: "1", valor_unitario: "50.00" },
    ],
  });
  await create("p2", {
    data_entrada: "2025-06-20",
    data_entrega: "2025-07-02",
    status: "entregue",
    items: [
      { tipo_producao: "PAINEL", tecido: " OXFORD ", metro_quadrado: "2,5", quantidade_paineis: "3", valor_unitario: "10,00" },
      { tipo_producao: "adesivo", quantidade_adesivo: "4", valor_unitario: "1.00" }, // no size: 1 m² a piece (the stock rule)
    ],
  });
  await create("p3", {
    data_entrada: "2025-06-25",
    status: "cancelado",
    items: [{ tipo_producao: "totem", tecido: "Cetim", largura: "0,33333", altura: "1", valor_unitario: "5" }],
  });

  today = spToday();
  const yesterday = plusDays(today, -1);
  const tomorrow = plusDays(today, 1);
  await create("late_pending", { data_entrada: plusDays(today, -9), data_entrega: yesterday, status: "pendente" });
  await create("late_ready", { data_entrada: plusDays(today, -9), data_entrega: yesterday, status: "pronto" });
  await create("late_delivered", { data_entrada: plusDays(today, -9), data_entrega: yesterday, status: "entregue" });
  await create("late_cancelled", { data_entrada: plusDays(today, -9), data_entrega: yesterday, status: "cancelado" });
  await create("due_today", { data_entrada: plusDays(today, -2), data_entrega: today, status: "pendente" });
  await create("due_tomorrow", { data_entrada: plusDays(today, -2), data_entrega: tomorrow, status: "pendente" });
  await create("stuck_tomorrow", { data_entrada: plusDays(today, -5), data_entrega: tomorrow, status: "em_producao" });
  await create("later", { data_entrada: today, data_entrega: plusDays(today, 2), status: "pendente" });
  await create("recent_47h", { data_entrada: plusDays(today, -3), data_entrega: plusDays(today, 10), status: "em_producao" });
  await create("stuck_72h", { data_entrada: plusDays(today, -4), data_entrega: plusDays(today, 10), status: "em_producao" });
  await create("fresh", { data_entrada: today, data_entrega: plusDays(today, 2), status: "em_producao" });
  await create("late_and_stuck", { data_entrada: plusDays(today, -9), data_entrega: yesterday, status: "em_producao" });
  touchedAgo("stuck_tomorrow", 50);
  touchedAgo("recent_47h", 47);
  touchedAgo("stuck_72h", 72);
  touchedAgo("late_and_stuck", 100);
  const draft = await s.request("POST", "/pedidos/rascunho", { token: user, body: { cliente: "Rascunho", data_entrega: yesterday } });
  expect(draft.status).toBe(200);
  draftId = draft.body.id;
});
afterAll(() => s?.stop());

describe("GET /automacao/producao/alertas", () => {
  it("one alert per order, the first that applies, by the shop's today; delivered, cancelled and drafts skipped", async () => {
    const r = await get("/automacao/producao/alertas");
    const byKey = Object.fromEntries(Object.entries(id).map(([k, v]) => [v, k]));
    expect(r.items.map((a: any) => [byKey[a.pedido_id], a.tipo_alerta, a.horas_estagnado])).toEqual([
      ["late_pending", "atrasado", null],
      ["late_ready", "atrasado", null],
      ["late_and_stuck", "atrasado", null],
      ["due_today", "urgente_pendente", null],
      ["due_tomorrow", "urgente_pendente", null],
      ["stuck_tomorrow", "estagnado", 50],
      ["stuck_72h", "estagnado", 72],
    ]);
    expect(r.items[0]).toEqual({
      pedido_id: id.late_pending,
      numero: numero.late_pending,
      cliente: "Cliente late_pending",
      data_entrega: plusDays(today, -1),
      status: "pendente",
      tipo_alerta: "atrasado",
      horas_estagnado: null,
    });
  });

  it("the shop's date decides: 22:30 in São Paulo is already tomorrow in UTC", async () => {
    await create("tz_due", { data_entrada: "2026-03-01", data_entrega: "2026-03-09", status: "pendente" });
    const now = new Date("2026-03-10T01:30:00Z"); // 09/03 22:30 in São Paulo
    const kind = (tz: string) =>
      s.deps.db.read((q) => alerts(q, tz, now)).then((a) => a.find((x) => x.pedido_id === id.tz_due)?.tipo_alerta);
    expect(await kind("America/Sao_Paulo")).toBe("urgente_pendente");
    expect(await kind("UTC")).toBe("atrasado");
  });
});

describe("production figures", () => {
  const JUNE = "data_inicio=2025-06-01&data_fim=2025-06-30";

  it("metragem: items and m² (area × pieces, 4 decimals) and the order's value", async () => {
    const r = await get(`/automacao/pedidos/metragem?${JUNE}`);
    expect(r).toMatchObject({ data_inicio: "2025-06-01", data_fim: "2025-06-30", date_mode: "entrada" });
    expect(r.items).toEqual([
      {
        pedido_id: id.p1,
        numero: numero.p1,
        cliente: "Cliente p1",
        data_entrada: "2025-06-10",
        data_entrega: "2025-06-15",
        status: "entregue",
        total_itens: 2,
        total_metragem: 13,
        valor_total: "360.00",
      },
      {
        pedido_id: id.p2,
        numero: numero.p2,
        cliente: "Cliente p2",
        data_entrada: "2025-06-20",
        data_entrega: "2025-07-02",
        status: "entregue",
        total_itens: 2,
        total_metragem: 11.5,
        valor_total: "34.00",
      },
      {
        pedido_id: id.p3,
        numero: numero.p3,
        cliente: "Cliente p3",
        data_entrada: "2025-06-25",
        data_entrega: "2025-06-25",
        status: "cancelado",
        total_itens: 1,
        total_metragem: 0.3333,
        valor_total: "5.00",
      },
    ]);
    expect((await get(`/automacao/pedidos/metragem?${JUNE}&date_mode=entrega`)).items.map((o: any) => o.pedido_id)).toEqual([id.p1, id.p3]);
    expect((await get(`/automacao/pedidos/metragem?${JUNE}&status=entregue&cliente=P2`)).items.map((o: any) => o.pedido_id)).toEqual([
      id.p2,
    ]);
  });

  it("estatisticas per production type (lower case) and tecidos per fabric (Title Case), the largest area first", async () => {
    expect((await get(`/automacao/producao/estatisticas?${JUNE}`)).items).toEqual([
      { tipo_producao: "painel", total_pedidos: 2, total_itens: 5, total_metragem: 19.5, valor_total: "330.00" },
      { tipo_producao: "adesivo", total_pedidos: 1, total_itens: 4, total_metragem: 4, valor_total: "4.00" },
      { tipo_producao: "lona", total_pedidos: 1, total_itens: 1, total_metragem: 1, valor_total: "50.00" },
      { tipo_producao: "totem", total_pedidos: 1, total_itens: 1, total_metragem: 0.3333, valor_total: "5.00" },
    ]);
    expect((await get(`/automacao/producao/tecidos?${JUNE}&status=entregue`)).items).toEqual([
      { tecido: "Oxford", total_pedidos: 2, total_itens: 5, total_metragem: 19.5 },
      { tecido: "Sem Tecido", total_pedidos: 1, total_itens: 4, total_metragem: 4 },
      { tecido: "Lona 440", total_pedidos: 1, total_itens: 1, total_metragem: 1 },
    ]);
  });

  it("bad parameters are 400s naming them", async () => {
    for (const [path, name] of [
      ["/automacao/pedidos/metragem?date_mode=producao", "date_mode"],
      ["/automacao/producao/estatisticas?data_inicio=2025-06-31", "data_inicio"],
      ["/automacao/producao/tecidos?status=parado", "status"],
    ]) {
      const r = await s.request("GET", path, { token: user });
      expect(r.status, path).toBe(400);
      expect(r.body.detail).toContain(name);
    }
  });
});

describe("GET /automacao/pedido/{numero}", () => {
  it("the exact numero, then zero-padded to 10 digits, then the id; drafts and unknown numbers 404", async () => {
    const byPath = async (n: string) => await s.request("GET", `/automacao/pedido/${encodeURIComponent(n)}`, { token: user });
    expect((await byPath("ABC-77")).body.id).toBe(id.custom);
    expect((await byPath(numero.p1)).body.id).toBe(id.p1);
    expect((await byPath(String(Number(numero.p2)))).body.id).toBe(id.p2); // "2" → "0000000002"
    // id 1 holds "ABC-77": "1" pads to the numero of the next order, which wins over the id.
    expect((await byPath("1")).body.numero).toBe("0000000001");
    const last = Math.max(...Object.values(id));
    expect((await byPath(String(last))).body.id).toBe(last); // no numero pads to it: the id
    const o = (await byPath(numero.p1)).body;
    expect(o.items).toHaveLength(2);
    expect(o).toMatchObject({ valor_total: "360.00", status: "entregue" });
    for (const n of ["0000099999", "nada", String(last + 1), String(draftId)]) {
      const r = await byPath(n);
      expect(r.status, n).toBe(404);
      expect(r.body.detail).toBe("Pedido não encontrado");
    }
  });
});
