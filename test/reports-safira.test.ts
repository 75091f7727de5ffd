// Safira end to end: every intent answered from the orders seeded here, each figure checked against the same
// orders read back from GET /pedidos/ and worked out in the test; every question logged; the error path.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { ERROR_ANSWER } from "../lib/reports/safira.ts";

let s: TestServer;
let user: { id: number; token: string };
let today: string;
let dayStart: number;
const id: Record<string, number> = {};

const spToday = () =>
  new Intl.DateTimeFormat("en-CA", { timeZone: "America/Sao_Paulo", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
const plusDays = (d: string, n: number) => new Date(Date.parse(`${d}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const iso = (ms: number) => new Date(ms).toISOString();
const H = 3_600_000;

async function create(key: string, body: Record<string, unknown>) {
  const r = await s.request("POST", "/pedidos/", { token: s.adminToken, body: { data_entrada: today, ...body } });
  expect(r.status, r.text).toBe(200);
  id[key] = r.body.id;
}
const setTimes = (key: string, criacao: number, atualizacao: number) =>
  s.deps.db.raw
    .prepare("UPDATE pedidos SET data_criacao = ?, ultima_atualizacao = ? WHERE id = ?")
    .run(iso(criacao), iso(atualizacao), id[key]);
async function ask(question: string) {
  const r = await s.request("POST", "/safira/ask", { token: user.token, body: { question } });
  expect(r.status, r.text).toBe(200);
  return r.body as { recognized: boolean; intent: string; answer: string; meta: any };
}

beforeAll(async () => {
  s = await startTestServer();
  user = await s.createUser("safira", "safira-pass-123");
  today = spToday();
  // São Paulo keeps UTC−3 all year since 2019: the shop's day starts at 03:00 UTC.
  dayStart = Date.parse(`${today}T03:00:00Z`);
  const item = (tipo: string, vendedor: string, extra: Record<string, unknown> = {}) => ({
    tipo_producao: tipo,
    vendedor,
    valor_unitario: "10.00",
    ...extra,
  });
  await create("t1", {
    cliente: "Maria",
    items: [item("painel", "Carlos"), item("painel", "Carlos", { tecido: "Oxford", largura: "2", altura: "1" })],
  });
  await create("t2", { cliente: "MARIA", status: "em_producao", financeiro: true, conferencia: true, items: [item("lona", "Dora")] });
  await create("t3", {
    cliente: "maria ",
    financeiro: true,
    conferencia: true,
    items: [item("painel", "carlos ", { tecido: "Helanca", largura: "10", altura: "10" })],
  });
  await create("t4", { cliente: "José", status: "em_producao", financeiro: true, conferencia: true, items: [item("lona", "")] });
  await create("late1", {
    cliente: "José",
    data_entrada: plusDays(today, -20),
    data_entrega: plusDays(today, -2),
    items: [item("painel", "Edu")],
  });
  await create("late2", {
    cliente: "Ana",
    data_entrada: plusDays(today, -20),
    data_entrega: plusDays(today, -1),
    status: "em_producao",
    items: [item("adesivo", "Edu")],
  });
  await create("late_ready", {
    cliente: "Ana",
    data_entrada: plusDays(today, -20),
    data_entrega: plusDays(today, -1),
    status: "pronto",
    items: [item("painel", "Edu")],
  });
  await create("done", {
    cliente: "Bia",
    data_entrada: plusDays(today, -40),
    data_entrega: plusDays(today, -30),
    status: "entregue",
    items: [item("painel", "Edu")],
  });
  await create("cancelled", {
    cliente: "Bia",
    status: "cancelado",
    items: Array.from({ length: 6 }, () => item("lona", "Dora", { tecido: "Lona", largura: "50", altura: "50" })),
  });
  // Completion times: 6 h (today), 9 h (today) and 12 h (yesterday) after creation.
  setTimes("late_ready", dayStart - 6 * H + 60 * 60_000, dayStart + 60 * 60_000);
  setTimes("done", dayStart - 14 * H, dayStart - 2 * H);
  s.deps.db.raw.prepare("UPDATE pedidos SET status = 'pronto' WHERE id = ?").run(id.t1);
  setTimes("t1", dayStart - 8 * H + 30 * 60_000, dayStart + 30 * 60_000);
  const draft = await s.request("POST", "/pedidos/rascunho", {
    token: user.token,
    body: { cliente: "Maria", data_entrada: today, items: [item("totem", "Carlos")] },
  });
  expect(draft.status).toBe(200);
});
afterAll(() => s?.stop());

describe("POST /safira/ask: every intent from live data", () => {
  let orders: any[];
  beforeAll(async () => {
    orders = (await s.request("GET", "/pedidos/", { token: s.adminToken })).body;
  });
  const open = (o: any) => o.status === "pendente" || o.status === "em_producao";

  it("pedidos_hoje, pedidos_em_producao, pedidos_atrasados", async () => {
    const hoje = orders.filter((o) => o.data_entrada === today).length;
    expect(hoje).toBe(5); // t1..t4 and the cancelled one (never the draft)
    expect(await ask("Quantos pedidos entraram hoje?")).toEqual({
      recognized: true,
      intent: "pedidos_hoje",
      answer: `Pedidos feitos hoje\n\n${hoje} pedidos registrados`,
      meta: { data: today, total: hoje },
    });
    const prod = orders.filter((o) => o.status === "em_producao").length;
    expect((await ask("Quantos pedidos estão em produção?")).answer).toBe(`Pedidos em produção\n\n${prod} pedidos ativos agora`);
    const late = orders.filter((o) => open(o) && o.data_entrega < today).length;
    expect(late).toBe(2);
    const r = await ask("O que está atrasado?");
    expect([r.intent, r.answer, r.meta.total]).toEqual(["pedidos_atrasados", "Pedidos atrasados\n\n2 pedidos fora do prazo", 2]);
  });

  it("tipo_pedido_mais_feito: items of non-cancelled orders", async () => {
    const counts = new Map<string, number>();
    for (const o of orders.filter((x) => x.status !== "cancelado"))
      for (const it of o.items) counts.set(it.tipo_producao, (counts.get(it.tipo_producao) ?? 0) + 1);
    expect(counts.get("painel")).toBe(6);
    const r = await ask("Qual o tipo de pedido mais feito?");
    expect([r.intent, r.answer]).toEqual(["tipo_pedido_mais_feito", "Tipo de pedido mais feito\n\nPainel\n6 produções registradas"]);
  });

  it("material_mais_usado: area × pieces per material, cancelled orders left out", async () => {
    const r = await ask("Qual material é mais usado?");
    expect(r.intent).toBe("material_mais_usado");
    expect(r.answer).toBe("Material mais usado\n\nHELANCA\n100,00 m² consumidos em 1 item");
    expect(r.meta).toEqual({ material: "HELANCA", area_m2: 100, itens: 1 });
  });

  it("vendedor_mais_produtivo today (an order counts once per seller) and cliente_mais_pedidos this month (folded)", async () => {
    const v = await ask("Qual vendedor fez mais pedidos hoje?");
    expect([v.intent, v.answer]).toEqual(["vendedor_mais_produtivo", "Vendedor recordista hoje\n\nCarlos\n2 pedidos criados"]);
    const c = await ask("Qual cliente fez mais pedidos este mês?");
    expect(c.intent).toBe("cliente_mais_pedidos");
    expect(c.answer).toMatch(/^Cliente destaque do mês\n\n(Maria|MARIA|maria)\n3 pedidos realizados$/);
  });

  it("tempo_medio_producao and pedidos_concluidos_hoje (the shop's day)", async () => {
    const done = orders.filter((o) => o.status === "pronto" || o.status === "entregue");
    const hours = done.map((o) => (Date.parse(o.ultima_atualizacao) - Date.parse(o.data_criacao)) / H);
    expect(hours.sort((a, b) => a - b)).toEqual([6, 8, 12]);
    const t = await ask("Qual o tempo médio de produção?");
    expect([t.intent, t.answer, t.meta]).toEqual([
      "tempo_medio_producao",
      "Tempo médio de produção\n\n8,7 horas\nmédia de 3 pedidos concluídos",
      { horas: 8.7, pedidos: 3 },
    ]);
    const todayDone = done.filter(
      (o) => Date.parse(o.ultima_atualizacao) >= dayStart && Date.parse(o.ultima_atualizacao) < dayStart + 24 * H,
    ).length;
    expect(todayDone).toBe(2);
    expect((await ask("Quantos pedidos foram concluídos hoje?")).answer).toBe("Pedidos concluídos hoje\n\n2 pedidos prontos");
  });

  it("etapa_producao_com_mais_pedidos: each open order waits at its first stage not done", async () => {
    const stage = (o: any) => ["financeiro", "conferencia", "sublimacao", "costura", "expedicao"].find((f) => !o[f]) ?? "pronto";
    const tally: Record<string, number> = {};
    for (const o of orders.filter(open)) tally[stage(o)] = (tally[stage(o)] ?? 0) + 1;
    expect(tally).toEqual({ sublimacao: 3, financeiro: 2 });
    const r = await ask("Qual etapa da produção tem mais pedidos?");
    expect([r.intent, r.answer, r.meta.etapa, r.meta.etapas.financeiro]).toEqual([
      "etapa_producao_com_mais_pedidos",
      "Etapa com maior demanda\n\nSublimação\n3 pedidos aguardando",
      "sublimacao",
      2,
    ]);
  });

  it("unknown: a help text listing what it can answer", async () => {
    const r = await ask("Qual a cor do céu?");
    expect(r).toMatchObject({ recognized: false, intent: "unknown", meta: null });
    expect(r.answer).toContain("Posso ajudar com perguntas como:");
    expect(r.answer).toContain("Quantos pedidos estão em produção?");
    expect((await ask("   ")).intent).toBe("unknown");
  });
});

describe("logging, errors and input", () => {
  it("every question is logged with its intent, recognition and user", async () => {
    const before = (s.deps.db.raw.prepare("SELECT COUNT(*) AS n FROM safira_logs").get() as { n: number }).n;
    await ask("Quantos pedidos hoje?");
    await ask("bom dia");
    const rows = s.deps.db.raw
      .prepare("SELECT pergunta, intent_detectada, reconhecida, usuario_id, created_at FROM safira_logs ORDER BY id DESC LIMIT 2")
      .all() as any[];
    expect((s.deps.db.raw.prepare("SELECT COUNT(*) AS n FROM safira_logs").get() as { n: number }).n).toBe(before + 2);
    expect(rows.map((r) => [r.pergunta, r.intent_detectada, r.reconhecida, r.usuario_id])).toEqual([
      ["bom dia", "unknown", 0, user.id],
      ["Quantos pedidos hoje?", "pedidos_hoje", 1, user.id],
    ]);
    expect(Date.parse(rows[0].created_at)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("a failure answers 200 with intent error, and is logged as one", async () => {
    const raw = s.deps.db.raw;
    raw.exec("ALTER TABLE pedidos RENAME TO pedidos_fora");
    try {
      const r = await ask("Quantos pedidos hoje?");
      expect(r).toEqual({ recognized: false, intent: "error", answer: ERROR_ANSWER, meta: null });
    } finally {
      raw.exec("ALTER TABLE pedidos_fora RENAME TO pedidos");
    }
    expect(raw.prepare("SELECT intent_detectada, reconhecida FROM safira_logs ORDER BY id DESC LIMIT 1").get()).toMatchObject({
      intent_detectada: "error",
      reconhecida: 0,
    });
    expect((await ask("Quantos pedidos hoje?")).intent).toBe("pedidos_hoje");
  });

  it("needs a token and a question", async () => {
    expect((await s.request("POST", "/safira/ask", { token: null, body: { question: "oi" } })).status).toBe(401);
    expect((await s.request("POST", "/safira/ask", { token: user.token, body: {} })).status).toBe(422);
    expect((await s.request("POST", "/safira/ask", { token: user.token, body: { question: 42 } })).status).toBe(422);
    expect((await s.request("POST", "/safira/ask", { token: user.token, body: { question: "x".repeat(1001) } })).status).toBe(422);
  });
});
