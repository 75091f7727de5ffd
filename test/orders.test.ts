import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";

let s: TestServer;
let user: { id: number; token: string };
let admin: string;

const painel = (extra: Record<string, unknown> = {}) => ({
  tipo_producao: "painel",
  descricao: "Painel 3x2",
  valor_painel: "100.00",
  valores_adicionais: "0",
  tipo_acabamento: "ilhos",
  quantidade_ilhos: "18",
  valor_ilhos: "1.00",
  quantidade_paineis: "1",
  ...extra,
});
const base = (extra: Record<string, unknown> = {}) => ({ cliente: "João da Silva", data_entrada: "2026-11-20", ...extra });

type Ev = { id: number; type: string; order_id: number | null; payload: string; actor_id: number | null; actor_name: string | null };
const lastEventId = () => s.deps.db.writeSync((tx) => tx.get<{ n: number | null }>("SELECT MAX(id) AS n FROM event_log")!.n ?? 0);
const eventsAfter = (id: number) =>
  s.deps.db.writeSync((tx) =>
    tx.all<Ev>("SELECT id, type, order_id, payload, actor_id, actor_name FROM event_log WHERE id > ? ORDER BY id", id),
  );

beforeAll(async () => {
  s = await startTestServer();
  admin = s.adminToken;
  user = await s.createUser("maria", "maria-pass-123", { setor: "geral" });
});
afterAll(() => s.stop());

describe("POST /pedidos/", () => {
  it("creates an order: 200, numero, priced items with ids, totals as strings, one order_created event", async () => {
    const before = lastEventId();
    const r = await s.request("POST", "/pedidos/", {
      token: user.token,
      body: base({
        valor_frete: "10,00",
        valor_total: "999.99",
        valor_itens: "1.00",
        cidade_cliente: "Vitória - ES",
        financeiro_liberado_em: "2020-01-01T00:00:00Z",
        extra_top_level: 1,
        items: [painel({ campo_novo: "mantido" }), { tipo_producao: "totem", valor_unitario: "50.00", quantidade_totem: "2" }],
      }),
    });
    expect(r.status).toBe(200);
    const o = r.body;
    expect(o.numero).toMatch(/^\d{10}$/);
    expect(o.items).toHaveLength(2);
    expect(o.items.every((i: any) => Number.isInteger(i.id))).toBe(true);
    expect(o.items[0].valor_unitario).toBe("118.00");
    expect(o.items[0].campo_novo).toBe("mantido");
    expect(o.items[0].status_arte).toBe("aguardando");
    expect(o.items[0].comentarios).toEqual([]);
    expect(o.items[0].largura).toBeNull();
    expect(o.valor_itens).toBe("218.00");
    expect(o.valor_frete).toBe("10.00");
    expect(o.valor_total).toBe("228.00");
    expect(o.valor_total_calculado).toBe("228,00");
    expect(o).toMatchObject({
      status: "pendente",
      prioridade: "NORMAL",
      cidade_cliente: "Vitória",
      estado_cliente: "ES",
      data_entrega: "2026-11-20",
    });
    expect(o.financeiro).toBe(false);
    expect(o.financeiro_liberado_em).toBeNull();
    expect(o.rascunho).toBe(false);
    expect(o.data_criacao).toMatch(/Z$/);
    expect("extra_top_level" in o).toBe(false);

    const evs = eventsAfter(before);
    expect(evs.map((e) => e.type)).toEqual(["order_created"]);
    const p = JSON.parse(evs[0].payload);
    expect(p).toMatchObject({ type: "order_created", order_id: o.id, user_id: user.id, username: "maria" });
    expect(p.order).toMatchObject({ id: o.id, numero: o.numero, user_id: user.id, username: "maria", valor_total: "228.00" });
    expect(evs[0]).toMatchObject({ order_id: o.id, actor_id: user.id, actor_name: "maria" });
  });

  it("cuts an ISO datetime to its date and rejects invalid dates, statuses and money with 422 (nothing written)", async () => {
    const ok = await s.request("POST", "/pedidos/", {
      token: user.token,
      body: base({ data_entrada: "2026-01-07T12:00:00.000Z", data_entrega: "" }),
    });
    expect(ok.status).toBe(200);
    expect(ok.body.data_entrada).toBe("2026-01-07");
    expect(ok.body.data_entrega).toBe("2026-01-07");
    const before = lastEventId();
    const count = s.deps.db.writeSync((tx) => tx.get<{ n: number }>("SELECT COUNT(*) AS n FROM pedidos")!.n);
    for (const body of [
      base({ data_entrada: "2026-02-30" }),
      base({ data_entrega: "amanhã" }),
      base({ status: "Em Produção" }),
      base({ valor_frete: "dez reais" }),
      base({ prioridade: "URGENTE" }),
      base({ items: [{ id: "abc" }] }),
      { data_entrada: "2026-01-01" },
    ]) {
      const r = await s.request("POST", "/pedidos/", { token: user.token, body });
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect(Array.isArray(r.body.detail)).toBe(true);
    }
    expect(s.deps.db.writeSync((tx) => tx.get<{ n: number }>("SELECT COUNT(*) AS n FROM pedidos")!.n)).toBe(count);
    expect(eventsAfter(before)).toEqual([]);
  });

  it("accepts money as numbers and pt-BR strings", async () => {
    const r = await s.request("POST", "/pedidos/", {
      token: user.token,
      body: base({ valor_frete: 12.5, items: [{ tipo_producao: "lona", valor_unitario: "1.234,56", quantidade_lona: 2 }] }),
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ valor_frete: "12.50", valor_itens: "2469.12", valor_total: "2481.62" });
  });

  it("financeiro on create: admin-only, stamps financeiro_liberado_em; false from a user is fine", async () => {
    const denied = await s.request("POST", "/pedidos/", { token: user.token, body: base({ financeiro: true }) });
    expect(denied.status).toBe(403);
    expect(denied.body.detail).toMatch(/administradores/);
    const fine = await s.request("POST", "/pedidos/", { token: user.token, body: base({ financeiro: false }) });
    expect(fine.status).toBe(200);
    const r = await s.request("POST", "/pedidos/", {
      token: admin,
      body: base({ financeiro: true, financeiro_liberado_em: "2000-01-01T00:00:00Z" }),
    });
    expect(r.status).toBe(200);
    expect(r.body.financeiro).toBe(true);
    expect(Date.now() - Date.parse(r.body.financeiro_liberado_em)).toBeLessThan(60_000);
  });

  it("client numero: kept; a colliding one is 409 with nothing written; the generator skips past it", async () => {
    const a = await s.request("POST", "/pedidos/", { token: user.token, body: base({ numero: "0000900000" }) });
    expect(a.status).toBe(200);
    expect(a.body.numero).toBe("0000900000");
    const before = lastEventId();
    const dup = await s.request("POST", "/pedidos/", { token: user.token, body: base({ numero: "0000900000" }) });
    expect(dup.status).toBe(409);
    expect(dup.body.detail).toBe("Já existe um pedido com este numero.");
    expect(eventsAfter(before)).toEqual([]);
    // Other spellings of the same number collide too: the client shows both as "#900000".
    for (const spelling of ["900000", "000900000"]) {
      const other = await s.request("POST", "/pedidos/", { token: user.token, body: base({ numero: spelling }) });
      expect(other.status, spelling).toBe(409);
    }
    expect(eventsAfter(before)).toEqual([]);
    const next = await s.request("POST", "/pedidos/", { token: user.token, body: base() });
    expect(next.body.numero).toBe("0000900001");
    const renumbered = await s.request("PATCH", `/pedidos/${next.body.id}`, { token: user.token, body: { numero: "900000" } });
    expect(renumbered.status).toBe(409);
  });

  it("requires a token", async () => {
    expect((await s.request("POST", "/pedidos/", { body: base() })).status).toBe(401);
    expect((await s.request("GET", "/pedidos/")).status).toBe(401);
  });
});

describe("GET /pedidos/{id} and the fixed paths", () => {
  it("404 with a string detail for unknown and non-numeric ids", async () => {
    for (const path of ["/pedidos/99999999", "/pedidos/abc"]) {
      const r = await s.request("GET", path, { token: user.token });
      expect(r.status).toBe(404);
      expect(typeof r.body.detail).toBe("string");
    }
  });

  it("serves /pedidos/x and /pedidos/x/ alike, and /json from the database", async () => {
    const c = await s.request("POST", "/pedidos", { token: user.token, body: base({ items: [painel()] }) });
    expect(c.status).toBe(200);
    const a = await s.request("GET", `/pedidos/${c.body.id}`, { token: user.token });
    const b = await s.request("GET", `/pedidos/${c.body.id}/`, { token: user.token });
    expect(a.body).toEqual(c.body);
    expect(b.body).toEqual(c.body);
    const j = await s.request("GET", `/pedidos/${c.body.id}/json`, { token: user.token });
    expect(j.body).toEqual(c.body);
    expect((await s.request("GET", "/pedidos/99999999/json", { token: user.token })).body.detail).toBe(
      "JSON do pedido 99999999 não encontrado",
    );
    const saved = await s.request("POST", `/pedidos/save-json/${c.body.id}`, { token: user.token, body: { qualquer: 1 } });
    expect(saved.body).toEqual({ message: "JSON salvo com sucesso", pedido_id: c.body.id });
  });
});

describe("PATCH /pedidos/{id}", () => {
  it("keeps item ids, deletes absent items, adds new ones, follows the array order, recomputes totals", async () => {
    const c = (
      await s.request("POST", "/pedidos/", {
        token: user.token,
        body: base({ valor_frete: "5.00", items: [painel(), painel({ descricao: "B" }), painel({ descricao: "C" })] }),
      })
    ).body;
    const [a, b, cc] = c.items;
    const r = await s.request("PATCH", `/pedidos/${c.id}`, {
      token: user.token,
      body: {
        valor_total: "1.00",
        items: [{ ...cc, quantidade_paineis: "2" }, { ...a }, painel({ descricao: "D", quantidade_ilhos: "0" })],
      },
    });
    expect(r.status).toBe(200);
    const ids = r.body.items.map((i: any) => i.id);
    expect(ids.slice(0, 2)).toEqual([cc.id, a.id]);
    expect(ids[2]).not.toBe(b.id);
    expect(ids[2]).toBeGreaterThan(Math.max(a.id, b.id, cc.id));
    expect(r.body.items[2].valor_unitario).toBe("100.00");
    // 118×2 + 118 + 100 = 454, + 5 frete
    expect(r.body).toMatchObject({ valor_itens: "454.00", valor_total: "459.00", valor_total_calculado: "459,00" });
    const rows = s.deps.db.writeSync((tx) =>
      tx.all<{ id: number; posicao: number }>("SELECT id, posicao FROM pedido_itens WHERE pedido_id = ? ORDER BY posicao", c.id),
    );
    expect(rows).toEqual(ids.map((id: number, posicao: number) => ({ id, posicao })));
  });

  it("a PATCH with only valor_total or valor_frete can never store a total that disagrees with the items", async () => {
    const c = (await s.request("POST", "/pedidos/", { token: user.token, body: base({ items: [painel()] }) })).body;
    const r1 = await s.request("PATCH", `/pedidos/${c.id}`, { token: user.token, body: { valor_total: "500.00", valor_itens: "3" } });
    expect(r1.body).toMatchObject({ valor_total: "118.00", valor_itens: "118.00" });
    const r2 = await s.request("PATCH", `/pedidos/${c.id}`, { token: user.token, body: { valor_frete: "R$ 20,00" } });
    expect(r2.body).toMatchObject({ valor_frete: "20.00", valor_total: "138.00" });
  });

  it("events: order_updated for a field change; updated + status_updated for status or a stage flag; none on failure", async () => {
    const c = (await s.request("POST", "/pedidos/", { token: user.token, body: base() })).body;
    let before = lastEventId();
    await s.request("PATCH", `/pedidos/${c.id}`, { token: user.token, body: { observacao: "x" } });
    expect(eventsAfter(before).map((e) => e.type)).toEqual(["order_updated"]);
    before = lastEventId();
    const st = await s.request("PATCH", `/pedidos/${c.id}`, { token: user.token, body: { status: "em_producao", conferencia: true } });
    expect(st.status).toBe(200);
    const evs = eventsAfter(before);
    expect(evs.map((e) => e.type)).toEqual(["order_updated", "order_status_updated"]);
    for (const e of evs) expect(JSON.parse(e.payload).order).toMatchObject({ status: "em_producao", conferencia: true });
    before = lastEventId();
    expect((await s.request("PATCH", `/pedidos/${c.id}`, { token: user.token, body: { status: "feito" } })).status).toBe(422);
    expect((await s.request("PATCH", `/pedidos/${c.id}`, { token: user.token, body: { financeiro: true } })).status).toBe(403);
    expect((await s.request("PATCH", "/pedidos/99999999", { token: user.token, body: { observacao: "y" } })).status).toBe(404);
    expect(eventsAfter(before)).toEqual([]);
    expect((await s.request("GET", `/pedidos/${c.id}`, { token: user.token })).body.financeiro).toBe(false);
  });

  it("financeiro: admin sets and clears financeiro_liberado_em; a user echoing the unchanged value is fine", async () => {
    const c = (await s.request("POST", "/pedidos/", { token: user.token, body: base() })).body;
    const same = await s.request("PATCH", `/pedidos/${c.id}`, { token: user.token, body: { financeiro: false, costura: true } });
    expect(same.status).toBe(200);
    const on = await s.request("PATCH", `/pedidos/${c.id}`, { token: admin, body: { financeiro: true, financeiro_liberado_em: null } });
    expect(on.body.financeiro_liberado_em).toMatch(/Z$/);
    const echo = await s.request("PATCH", `/pedidos/${c.id}`, {
      token: user.token,
      body: { financeiro: true, financeiro_liberado_em: "2000-01-01T00:00:00Z" },
    });
    expect(echo.status).toBe(200);
    expect(echo.body.financeiro_liberado_em).toBe(on.body.financeiro_liberado_em);
    const off = await s.request("PATCH", `/pedidos/${c.id}`, { token: admin, body: { financeiro: false } });
    expect(off.body.financeiro_liberado_em).toBeNull();
  });

  it("city/state are stored apart; legacy encodings decoded; numero 409 on collision; empty data_entrega falls back", async () => {
    const c = (await s.request("POST", "/pedidos/", { token: user.token, body: base({ cidade_cliente: "Serra", estado_cliente: "es" }) }))
      .body;
    expect(c).toMatchObject({ cidade_cliente: "Serra", estado_cliente: "ES" });
    const r = await s.request("PATCH", `/pedidos/${c.id}`, {
      token: user.token,
      body: { cidade_cliente: "Vitória||ES", data_entrega: null },
    });
    expect(r.body).toMatchObject({ cidade_cliente: "Vitória", estado_cliente: "ES", data_entrega: "2026-11-20" });
    const other = (await s.request("POST", "/pedidos/", { token: user.token, body: base() })).body;
    const clash = await s.request("PATCH", `/pedidos/${c.id}`, { token: user.token, body: { numero: other.numero } });
    expect(clash.status).toBe(409);
    const keep = await s.request("PATCH", `/pedidos/${c.id}`, { token: user.token, body: { numero: "" } });
    expect(keep.body.numero).toBe(c.numero);
  });

  it("keeps designer-panel fields of an existing item the client sends back without them", async () => {
    const c = (await s.request("POST", "/pedidos/", { token: user.token, body: base({ items: [painel()] }) })).body;
    const id = c.items[0].id;
    s.deps.db.writeSync((tx) => tx.run(`UPDATE pedido_itens SET data = json_set(data, '$.status_arte', 'liberado') WHERE id = ?`, id));
    const { status_arte: _s, comentarios: _c, ...sentBack } = c.items[0];
    const r = await s.request("PATCH", `/pedidos/${c.id}`, { token: user.token, body: { items: [{ ...sentBack, descricao: "novo" }] } });
    expect(r.body.items[0]).toMatchObject({ id, descricao: "novo", status_arte: "liberado" });
  });
});

describe("PATCH /pedidos/pedido-itens/{item_id}", () => {
  it("merges into the item by real id, recomputes totals, emits order_updated with the full order", async () => {
    const c = (
      await s.request("POST", "/pedidos/", {
        token: user.token,
        body: base({ items: [painel(), { tipo_producao: "totem", valor_unitario: "10", quantidade_totem: "1" }] }),
      })
    ).body;
    const before = lastEventId();
    const r = await s.request("PATCH", `/pedidos/pedido-itens/${c.items[1].id}`, {
      token: user.token,
      body: { quantidade_totem: "3", rip_maquina: "Epson", pedido_id: c.id },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      status: "success",
      message: "Item atualizado",
      item: { id: c.items[1].id, quantidade_totem: "3", rip_maquina: "Epson" },
    });
    const o = (await s.request("GET", `/pedidos/${c.id}`, { token: user.token })).body;
    expect(o).toMatchObject({ valor_itens: "148.00", valor_total: "148.00" });
    expect(o.ultima_atualizacao > c.ultima_atualizacao).toBe(true);
    const evs = eventsAfter(before);
    expect(evs.map((e) => e.type)).toEqual(["order_updated"]);
    expect(JSON.parse(evs[0].payload).order.valor_total).toBe("148.00");
  });

  it("accepts the legacy address pedido.id*1000+index and answers 404/400 like the original", async () => {
    const c = (
      await s.request("POST", "/pedidos/", { token: user.token, body: base({ items: [painel(), painel({ descricao: "segundo" })] }) })
    ).body;
    const r = await s.request("PATCH", `/pedidos/pedido-itens/${c.id * 1000 + 1}`, { token: user.token, body: { perfil_cor: "FOGRA39" } });
    expect(r.status).toBe(200);
    expect(r.body.item).toMatchObject({ id: c.items[1].id, descricao: "segundo", perfil_cor: "FOGRA39" });
    const before = lastEventId();
    expect((await s.request("PATCH", "/pedidos/pedido-itens/99999999", { token: user.token, body: {} })).body.detail).toBe(
      "Item 99999999 não encontrado em nenhum pedido.",
    );
    expect(
      (await s.request("PATCH", `/pedidos/pedido-itens/${c.items[0].id}`, { token: user.token, body: { pedido_id: 99999999 } })).body
        .detail,
    ).toBe("Pedido não encontrado.");
    expect(
      (await s.request("PATCH", `/pedidos/pedido-itens/${c.items[0].id}`, { token: user.token, body: { pedido_id: "x" } })).status,
    ).toBe(400);
    expect(eventsAfter(before)).toEqual([]);
  });
});

describe("DELETE /pedidos/{id}", () => {
  it("admin only; cascades to items; emits order_deleted; 404 afterwards", async () => {
    const c = (await s.request("POST", "/pedidos/", { token: user.token, body: base({ items: [painel()] }) })).body;
    expect((await s.request("DELETE", `/pedidos/${c.id}`, { token: user.token })).status).toBe(403);
    const before = lastEventId();
    const r = await s.request("DELETE", `/pedidos/${c.id}`, { token: admin });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ message: "Pedido deletado com sucesso" });
    const evs = eventsAfter(before);
    expect(evs.map((e) => [e.type, JSON.parse(e.payload)])).toEqual([["order_deleted", { type: "order_deleted", order_id: c.id }]]);
    expect(s.deps.db.writeSync((tx) => tx.get<{ n: number }>("SELECT COUNT(*) AS n FROM pedido_itens WHERE pedido_id = ?", c.id)!.n)).toBe(
      0,
    );
    expect((await s.request("GET", `/pedidos/${c.id}`, { token: user.token })).status).toBe(404);
    expect((await s.request("DELETE", `/pedidos/${c.id}`, { token: admin })).status).toBe(404);
  });
});
