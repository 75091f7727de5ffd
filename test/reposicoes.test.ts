// Reposições over real HTTP: CRUD, the original's validation and messages, and the `order_updated` event each
// write appends on its order in the same transaction (with the reposição and what happened to it).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { startTestServer, type TestServer } from "./helpers/server.ts";

let s: TestServer;
let token: string;
let userId: number;
let orderA: any;
let orderB: any;

const lastEventId = () => (s.deps.db.raw.prepare("SELECT COALESCE(MAX(id), 0) AS n FROM event_log").get() as any).n as number;
const eventsAfter = (id: number) =>
  (s.deps.db.raw.prepare("SELECT type, order_id, payload FROM event_log WHERE id > ? ORDER BY id").all(id) as any[]).map((e) => ({
    ...e,
    payload: JSON.parse(e.payload),
  }));
const count = () => (s.deps.db.raw.prepare("SELECT COUNT(*) AS n FROM reposicoes").get() as any).n as number;

beforeAll(async () => {
  // Stock deduction on: a reposição must never move stock (its event carries the order unchanged).
  s = await startTestServer({ env: { MATERIAL_STOCK_AUTO_DEDUCTION: "true" } });
  ({ id: userId, token } = await s.createUser("repo-user", "repo-pass-123"));
  await s.request("POST", "/materiais/", {
    token: s.adminToken,
    body: { nome: "Oxford", tipo: "tecido", valor_metro: 10, estoque_metros: 100 },
  });
  const mk = async (cliente: string) =>
    (
      await s.request("POST", "/pedidos/", {
        token,
        body: {
          cliente,
          data_entrada: "2026-03-01",
          items: [{ tipo_producao: "painel", descricao: "Painel", largura: "2", altura: "1", tecido: "Oxford", valor_unitario: "50" }],
        },
      })
    ).body;
  orderA = await mk("Cliente A");
  orderB = await mk("Cliente B");
});
afterAll(async () => s?.stop());

const stock = () => (s.deps.db.raw.prepare("SELECT estoque_metros AS m FROM material WHERE nome = 'Oxford'").get() as any).m as number;

describe("reposições CRUD", () => {
  let rep: any;

  it("POST creates (201) with the original's defaults and REP-{id}, and emits order_updated on the order", async () => {
    const stockBefore = stock();
    const mark = lastEventId();
    const r = await s.request("POST", "/reposicoes/", { token, body: { order_id: orderA.id, motivo: "Mancha na impressão" } });
    expect(r.status).toBe(201);
    rep = r.body;
    const today = new Date().toISOString().slice(0, 10);
    expect(rep).toEqual({
      id: expect.any(Number),
      numero: `REP-${rep.id}`,
      order_id: orderA.id,
      motivo: "Mancha na impressão",
      descricao: null,
      data_solicitacao: today,
      data_entrega_prevista: null,
      status: "Pendente",
      prioridade: "NORMAL",
      observacao: null,
      financeiro: false,
      conferencia: false,
      sublimacao: false,
      costura: false,
      expedicao: false,
      pronto: false,
      created_at: expect.stringMatching(/Z$/),
      updated_at: expect.stringMatching(/Z$/),
    });
    const ev = eventsAfter(mark);
    expect(ev.map((e) => [e.type, e.order_id])).toEqual([["order_updated", orderA.id]]);
    expect(ev[0].payload).toMatchObject({
      type: "order_updated",
      order_id: orderA.id,
      user_id: userId,
      username: "repo-user",
      order: { id: orderA.id, cliente: "Cliente A", user_id: userId, username: "repo-user" },
      reposicao: rep,
      reposicao_acao: "criada",
    });
    // The standard keys come first, the reposição after them.
    expect(Object.keys(ev[0].payload)).toEqual(["type", "order", "order_id", "user_id", "username", "reposicao", "reposicao_acao"]);
    expect(stock()).toBe(stockBefore);
    // The order itself did not change.
    const order = (await s.request("GET", `/pedidos/${orderA.id}`, { token })).body;
    expect(order.ultima_atualizacao).toBe(orderA.ultima_atualizacao);
  });

  it("takes every field; GET reads one; the list is newest first, filtered by order and status", async () => {
    const full = await s.request("POST", "/reposicoes", {
      token,
      body: {
        order_id: orderB.id,
        motivo: "Costura",
        descricao: "Bainha solta",
        data_solicitacao: "2026-03-02T10:00:00Z",
        data_entrega_prevista: "2026-03-05",
        status: "Em Processamento",
        prioridade: "ALTA",
        observacao: "urgente",
        costura: true,
        pronto: "false",
        financeiro: 1,
      },
    });
    expect(full.status).toBe(201);
    expect(full.body).toMatchObject({
      order_id: orderB.id,
      descricao: "Bainha solta",
      data_solicitacao: "2026-03-02",
      data_entrega_prevista: "2026-03-05",
      status: "Em Processamento",
      prioridade: "ALTA",
      observacao: "urgente",
      costura: true,
      pronto: false,
      financeiro: true,
    });
    expect((await s.request("GET", `/reposicoes/${full.body.id}`, { token })).body).toEqual(full.body);
    const all = (await s.request("GET", "/reposicoes/", { token })).body;
    expect(all.map((r: any) => r.id)).toEqual([full.body.id, rep.id]);
    expect((await s.request("GET", `/reposicoes/?order_id=${orderA.id}`, { token })).body.map((r: any) => r.id)).toEqual([rep.id]);
    expect((await s.request("GET", "/reposicoes?status=Em%20Processamento", { token })).body.map((r: any) => r.id)).toEqual([full.body.id]);
    expect((await s.request("GET", "/reposicoes?status=Cancelada", { token })).body).toEqual([]);
    expect((await s.request("GET", "/reposicoes?limit=1&skip=1", { token })).body.map((r: any) => r.id)).toEqual([rep.id]);
  });

  it("PATCH changes the fields sent and emits on the order; a move emits on both orders", async () => {
    const mark = lastEventId();
    const r = await s.request("PATCH", `/reposicoes/${rep.id}`, {
      token,
      body: { status: "Concluída", pronto: true, descricao: "refeito" },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      id: rep.id,
      numero: rep.numero,
      motivo: rep.motivo,
      status: "Concluída",
      pronto: true,
      descricao: "refeito",
    });
    expect(r.body.updated_at >= rep.updated_at).toBe(true);
    const ev = eventsAfter(mark);
    expect(ev.map((e) => [e.type, e.order_id, e.payload.reposicao_acao])).toEqual([["order_updated", orderA.id, "atualizada"]]);
    expect(ev[0].payload.reposicao).toEqual(r.body);

    const mark2 = lastEventId();
    const moved = await s.request("PATCH", `/reposicoes/${rep.id}`, { token, body: { order_id: orderB.id, descricao: null } });
    expect(moved.body).toMatchObject({ order_id: orderB.id, descricao: null });
    expect(eventsAfter(mark2).map((e) => [e.order_id, e.payload.reposicao_acao, e.payload.reposicao.order_id])).toEqual([
      [orderB.id, "atualizada", orderB.id],
      [orderA.id, "atualizada", orderB.id],
    ]);
    // An empty PATCH still bumps updated_at and tells the order.
    const mark3 = lastEventId();
    expect((await s.request("PATCH", `/reposicoes/${rep.id}`, { token, body: {} })).status).toBe(200);
    expect(eventsAfter(mark3)).toHaveLength(1);
    rep = (await s.request("GET", `/reposicoes/${rep.id}`, { token })).body;
  });

  it("DELETE is admin only, answers the original's message and emits the reposição as it was", async () => {
    expect((await s.request("DELETE", `/reposicoes/${rep.id}`, { token })).status).toBe(403);
    const mark = lastEventId();
    const r = await s.request("DELETE", `/reposicoes/${rep.id}`, { token: s.adminToken });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ message: "Reposição excluída com sucesso" });
    const ev = eventsAfter(mark);
    expect(ev.map((e) => [e.type, e.order_id, e.payload.reposicao_acao])).toEqual([["order_updated", orderB.id, "excluida"]]);
    expect(ev[0].payload.reposicao).toEqual(rep);
    expect((await s.request("GET", `/reposicoes/${rep.id}`, { token })).status).toBe(404);
    expect((await s.request("DELETE", `/reposicoes/${rep.id}`, { token: s.adminToken })).body.detail).toBe("Reposição não encontrada");
  });

  it("the event reaches a realtime client after COMMIT, with the reposição", async () => {
    const ws = new WebSocket(`${s.wsUrl}/ws/orders?token=${token}`);
    const messages: any[] = [];
    ws.on("message", (d) => messages.push(JSON.parse(String(d))));
    await new Promise<void>((ok, fail) => {
      ws.once("error", fail);
      const t = setInterval(() => {
        if (!messages.some((m) => m.type === "connected")) return;
        clearInterval(t);
        ok();
      }, 10);
    });
    const r = await s.request("POST", "/reposicoes/", { token, body: { order_id: orderA.id, motivo: "Ao vivo" } });
    const deadline = Date.now() + 5000;
    while (!messages.some((m) => m.type === "order_updated") && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 10));
    ws.close();
    const msg = messages.find((m) => m.type === "order_updated");
    expect(msg).toMatchObject({
      order_id: orderA.id,
      reposicao: { id: r.body.id },
      reposicao_acao: "criada",
      event_id: expect.any(Number),
    });
  });

  it("goes with its order when the order is deleted", async () => {
    const o = (await s.request("POST", "/pedidos/", { token, body: { cliente: "Some", data_entrada: "2026-03-01", items: [] } })).body;
    expect(o.id, JSON.stringify(o)).toEqual(expect.any(Number));
    const r = (await s.request("POST", "/reposicoes/", { token, body: { order_id: o.id, motivo: "x" } })).body;
    expect((await s.request("DELETE", `/pedidos/${o.id}`, { token: s.adminToken })).status).toBe(200);
    expect((await s.request("GET", `/reposicoes/${r.id}`, { token })).status).toBe(404);
  });
});

describe("reposições: the original's errors, nothing written", () => {
  it("404 for a missing order before 400 for status and priority; no row, no event", async () => {
    const rows = count();
    const mark = lastEventId();
    const post = (body: unknown) => s.request("POST", "/reposicoes/", { token, body });
    const noOrder = await post({ order_id: 999999, motivo: "x", status: "nada" });
    expect([noOrder.status, noOrder.body.detail]).toEqual([404, "Pedido não encontrado"]);
    const st = await post({ order_id: orderA.id, motivo: "x", status: "pendente" });
    expect([st.status, st.body.detail]).toEqual([400, "Status inválido"]);
    const pr = await post({ order_id: orderA.id, motivo: "x", prioridade: "URGENTE" });
    expect([pr.status, pr.body.detail]).toEqual([400, "Prioridade inválida"]);
    for (const body of [
      {},
      { order_id: orderA.id },
      { motivo: "x" },
      { order_id: orderA.id, motivo: "   " },
      { order_id: "abc", motivo: "x" },
      { order_id: orderA.id, motivo: "x", data_solicitacao: "31/02/2026" },
      { order_id: orderA.id, motivo: "x", data_entrega_prevista: "amanhã" },
      { order_id: orderA.id, motivo: "x", costura: "sim" },
      { order_id: orderA.id, motivo: "x", status: null },
      [orderA.id],
    ]) {
      const r = await post(body);
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect(Array.isArray(r.body.detail)).toBe(true);
    }
    expect(count()).toBe(rows);
    expect(lastEventId()).toBe(mark);
  });

  it("PATCH: 404 for a missing reposição or order, 400 for status and priority; nothing changes", async () => {
    const rep = (await s.request("POST", "/reposicoes/", { token, body: { order_id: orderA.id, motivo: "intacta" } })).body;
    const mark = lastEventId();
    const patch = (id: number, body: unknown) => s.request("PATCH", `/reposicoes/${id}`, { token, body });
    expect((await patch(999999, { motivo: "x" })).body.detail).toBe("Reposição não encontrada");
    expect((await patch(rep.id, { order_id: 999999 })).body.detail).toBe("Pedido não encontrado");
    expect((await patch(rep.id, { status: "Feito", motivo: "mudou" })).body.detail).toBe("Status inválido");
    expect((await patch(rep.id, { prioridade: "baixa" })).body.detail).toBe("Prioridade inválida");
    for (const body of [
      { order_id: null },
      { motivo: null },
      { motivo: "" },
      { status: null },
      { pronto: null },
      { data_solicitacao: null },
    ]) {
      expect((await patch(rep.id, body)).status, JSON.stringify(body)).toBe(422);
    }
    expect((await s.request("GET", `/reposicoes/${rep.id}`, { token })).body).toEqual(rep);
    expect(lastEventId()).toBe(mark);
  });

  it("list and path errors; no token is 401", async () => {
    const bad = await s.request("GET", "/reposicoes/?status=qualquer", { token });
    expect([bad.status, bad.body.detail]).toEqual([400, "Status inválido"]);
    expect((await s.request("GET", "/reposicoes/?order_id=abc", { token })).status).toBe(422);
    expect((await s.request("GET", "/reposicoes/abc", { token })).status).toBe(404);
    expect((await s.request("GET", "/reposicoes/", {})).status).toBe(401);
    expect((await s.request("POST", "/reposicoes/", { body: { order_id: orderA.id, motivo: "x" } })).status).toBe(401);
  });

  it("numbers stay unique when a taken-over row already holds the next REP-{id}", async () => {
    const next = (s.deps.db.raw.prepare("SELECT COALESCE(MAX(id), 0) + 1 AS n FROM reposicoes").get() as any).n;
    // A legacy row (numbered by hand) at id next + 5 holding the numero the next new row (next + 6) would get.
    s.deps.db.writeSync((tx) =>
      tx.run(
        "INSERT INTO reposicoes (id, numero, order_id, motivo, created_at, updated_at) VALUES (?, ?, ?, 'legado', '2025-01-01 10:00:00', NULL)",
        next + 5,
        `REP-${next + 6}`,
        orderA.id,
      ),
    );
    const r = await s.request("POST", "/reposicoes/", { token, body: { order_id: orderA.id, motivo: "colisão" } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ id: next + 6, numero: `REP-${next + 6}-2` });
    const legacy = (await s.request("GET", `/reposicoes/${next + 5}`, { token })).body;
    expect(legacy).toMatchObject({
      numero: `REP-${next + 6}`,
      created_at: "2025-01-01T10:00:00.000Z",
      updated_at: null,
      status: "Pendente",
    });
  });
});
