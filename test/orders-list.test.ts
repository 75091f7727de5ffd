import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { orders as ordersMigration } from "../lib/db/migrations/003_orders.ts";
import { createLogger } from "../lib/log.ts";

let s: TestServer;
let user: string;
let printer: string;
const ids: Record<string, number> = {};

const create = async (key: string, body: Record<string, unknown>, token = s.adminToken) => {
  const r = await s.request("POST", "/pedidos/", { token, body: { data_entrada: "2026-11-01", ...body } });
  if (r.status !== 200) throw new Error(r.text);
  ids[key] = r.body.id;
  return r.body;
};
const list = async (qs: string, token = user) => {
  const r = await s.request("GET", `/pedidos/${qs}`, { token });
  expect(r.status, r.text).toBe(200);
  return r.body as { id: number }[];
};
const idsOf = (rows: { id: number }[]) => rows.map((r) => r.id).sort((a, b) => a - b);
const keys = (...k: string[]) => k.map((x) => ids[x]).sort((a, b) => a - b);

beforeAll(async () => {
  s = await startTestServer();
  user = (await s.createUser("lista", "lista-pass-123")).token;
  printer = (await s.createUser("impressora", "impressora-pass-123", { setor: "impressao" })).token;
  await create("joao", {
    cliente: "JOÃO Conceição",
    data_entrada: "2026-11-01",
    data_entrega: "2026-11-10",
    items: [{ tipo_producao: "painel" }],
  });
  await create("joana", {
    cliente: "joana",
    data_entrada: "2026-11-05",
    data_entrega: "2026-11-06",
    status: "em_producao",
    items: [{ tipo_producao: "totem" }],
  });
  await create("pronto", {
    cliente: "Ação 50%_off",
    data_entrada: "2026-10-20",
    data_entrega: "2026-11-03",
    status: "pronto",
    pronto: true,
    prioridade: "ALTA",
  });
  await create("fin", { cliente: "Zé", data_entrada: "2026-11-07", financeiro: true, sublimacao: true });
  await s.request("POST", "/pedidos/rascunho", { token: user, body: { cliente: "JOÃO rascunho" } });
});
afterAll(() => s.stop());

describe("GET /pedidos/", () => {
  it("no limit returns every (non-draft) order as a plain array", async () => {
    expect(idsOf(await list(""))).toEqual(keys("joao", "joana", "pronto", "fin"));
  });

  it("cliente: accent- and case-insensitive contains, for any letters; LIKE wildcards are literal", async () => {
    expect(idsOf(await list("?cliente=joao"))).toEqual(keys("joao"));
    expect(idsOf(await list("?cliente=CONCEI%C3%87%C3%83O"))).toEqual(keys("joao"));
    expect(idsOf(await list("?cliente=jo"))).toEqual(keys("joao", "joana"));
    expect(idsOf(await list("?cliente=acao"))).toEqual(keys("pronto"));
    expect(idsOf(await list("?cliente=50%25_"))).toEqual(keys("pronto"));
    expect(idsOf(await list("?cliente=0%25x"))).toEqual([]);
  });

  it("status, is_pronto, tipo_producao", async () => {
    expect(idsOf(await list("?status=em_producao"))).toEqual(keys("joana"));
    expect(idsOf(await list("?is_pronto=true"))).toEqual(keys("pronto"));
    expect(idsOf(await list("?is_pronto=false"))).toEqual(keys("joao", "joana", "fin"));
    expect(idsOf(await list("?tipo_producao=totem"))).toEqual(keys("joana"));
    expect((await s.request("GET", "/pedidos/?status=feito", { token: user })).status).toBe(422);
    expect((await s.request("GET", "/pedidos/?limit=0", { token: user })).status).toBe(422);
    expect((await s.request("GET", "/pedidos/?limit=abc", { token: user })).status).toBe(422);
  });

  it("date filters by date_mode entrada, entrega and qualquer (the default), inclusive bounds", async () => {
    expect(idsOf(await list("?data_inicio=2026-11-01&data_fim=2026-11-05&date_mode=entrada"))).toEqual(keys("joao", "joana"));
    expect(idsOf(await list("?data_inicio=2026-11-05T13:00:00Z&date_mode=entrada"))).toEqual(keys("joana", "fin"));
    // No date_mode: either date in range (the client filters again by its own date).
    expect(idsOf(await list("?data_inicio=2026-11-01&data_fim=2026-11-05"))).toEqual(keys("joao", "joana", "pronto"));
    expect(idsOf(await list("?data_inicio=2026-11-05T13:00:00Z"))).toEqual(keys("joao", "joana", "fin"));
    expect(idsOf(await list("?data_inicio=2026-11-03&data_fim=2026-11-06&date_mode=entrega"))).toEqual(keys("joana", "pronto"));
    expect(idsOf(await list("?data_inicio=2026-11-03&data_fim=2026-11-04&date_mode=qualquer"))).toEqual(keys("pronto"));
    expect(idsOf(await list("?data_fim=2026-10-31&date_mode=qualquer"))).toEqual(keys("pronto"));
    const bad = await s.request("GET", "/pedidos/?data_inicio=31-12-2026", { token: user });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toBe("data_inicio inválida: 31-12-2026. Use o formato YYYY-MM-DD.");
    const inverted = await s.request("GET", "/pedidos/?data_inicio=2026-12-01&data_fim=2026-11-01", { token: user });
    expect(inverted.body.detail).toBe("data_inicio deve ser menor ou igual a data_fim");
  });

  it("skip/limit page through the same ordering", async () => {
    const all = await list("");
    expect(await list("?skip=1&limit=2")).toEqual(all.slice(1, 3));
    expect(await list("?skip=0&limit=10001")).toEqual(all);
  });

  it("ordering per role: admin financeiro-pending first then ALTA; impressao sublimação-pending first; others newest first", async () => {
    expect((await list("", s.adminToken)).map((o) => o.id)).toEqual([ids.pronto, ids.joana, ids.joao, ids.fin]);
    expect((await list("", printer)).map((o) => o.id)).toEqual([ids.pronto, ids.joana, ids.joao, ids.fin]);
    expect((await list("", user)).map((o) => o.id)).toEqual([ids.fin, ids.pronto, ids.joana, ids.joao]);
  });

  it("the list's spliced JSON equals GET /pedidos/{id} for every order, legacy-form and image items included", async () => {
    const o = await create("legado", {
      cliente: "Legado Ç",
      items: [{ tipo_producao: "totem", descricao: 'Coração 🎉 "aspas" \\ \u2028' }],
    });
    s.deps.db.writeSync((tx) =>
      tx.run(`UPDATE pedido_itens SET data = json_set(data, '$.imagem', 'https://exemplo.com/a.png') WHERE pedido_id = ?`, o.id),
    );
    s.deps.db.writeSync((tx) =>
      tx.run(
        `INSERT INTO pedido_itens (pedido_id, posicao, data) VALUES (?, 1, '{"descricao":"legado","valor_unitario":"5","extra":[1,{"a":null}]}')`,
        o.id,
      ),
    );
    const rows = (await list("")) as any[];
    expect(rows.length).toBe(5);
    for (const row of rows) expect(row).toEqual((await s.request("GET", `/pedidos/${row.id}`, { token: user })).body);
    const legacy = rows.find((r) => r.id === o.id);
    expect(legacy.items[1]).toMatchObject({
      descricao: "legado",
      extra: [1, { a: null }],
      largura: null,
      status_arte: "aguardando",
      comentarios: [],
    });
    expect(legacy.items[0].imagem).toBe("https://exemplo.com/a.png");
    await s.request("DELETE", `/pedidos/${o.id}`, { token: s.adminToken });
  });

  it("every listed order carries its items with ids", async () => {
    const rows = (await list("")) as any[];
    const joao = rows.find((o) => o.id === ids.joao);
    expect(joao.items).toHaveLength(1);
    expect(Number.isInteger(joao.items[0].id)).toBe(true);
  });
});

describe("GET /pedidos/total and /pedidos/status/{status}", () => {
  it("total counts with the list's filters", async () => {
    const t = async (qs: string) => (await s.request("GET", `/pedidos/total${qs}`, { token: user })).body;
    expect(await t("")).toEqual({ total: 4 });
    expect(await t("?cliente=jo")).toEqual({ total: 2 });
    expect(await t("?data_inicio=2026-11-03&data_fim=2026-11-06&date_mode=entrega")).toEqual({ total: 2 });
  });

  it("status route: exact status or 400", async () => {
    const r = await s.request("GET", "/pedidos/status/pronto", { token: user });
    expect(idsOf(r.body)).toEqual(keys("pronto"));
    const bad = await s.request("GET", "/pedidos/status/Pronto", { token: user });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toBe("Status inválido: Pronto");
  });
});

describe("migration 003", () => {
  it("rewrites legacy item data into the stored form without changing values (unreadable rows left alone)", async () => {
    const o = await create("mig", { cliente: "Migra" });
    const ids = s.deps.db.writeSync((tx) => [
      tx.run(`INSERT INTO pedido_itens (pedido_id, posicao, data) VALUES (?, 0, '{"descricao":"velho","id":77,"largura":"2"}')`, o.id)
        .lastInsertRowid,
      tx.run(`INSERT INTO pedido_itens (pedido_id, posicao, data) VALUES (?, 1, 'não é json')`, o.id).lastInsertRowid,
    ]);
    s.deps.db.writeSync((tx) => ordersMigration.up(tx, { legacy: true, log: createLogger("silent") }));
    const rows = s.deps.db.writeSync((tx) =>
      tx.all<{ data: string }>("SELECT data FROM pedido_itens WHERE id IN (?, ?) ORDER BY id", ...ids),
    );
    expect(rows[0].data.startsWith('{"tipo_producao":null,')).toBe(true);
    expect(JSON.parse(rows[0].data)).toMatchObject({ descricao: "velho", largura: "2", altura: null, comentarios: [] });
    expect("id" in JSON.parse(rows[0].data)).toBe(false);
    expect(rows[1].data).toBe("não é json");
    s.deps.db.writeSync((tx) => tx.run("DELETE FROM pedido_itens WHERE id = ?", ids[1]));
    const listed = (await list("?cliente=migra")) as any[];
    expect(listed[0].items[0]).toMatchObject({ id: ids[0], descricao: "velho" });
    expect(listed[0]).toEqual((await s.request("GET", `/pedidos/${o.id}`, { token: user })).body);
  });
});
