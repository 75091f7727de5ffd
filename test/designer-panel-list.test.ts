import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { insertFixtureOrder } from "./helpers/catalog-fixtures.ts";

let s: TestServer;
let token: string;
const ids: Record<string, number> = {};

beforeAll(async () => {
  s = await startTestServer();
  token = (await s.createUser("dani", "dani-pass-123", { setor: "designer" })).token;
  const a = insertFixtureOrder(
    s.deps.db,
    { data_entrada: "2026-11-10", data_entrega: "2026-11-20", prioridade: "ALTA", cliente: "Loja A" },
    [
      {
        descricao: "Painel 1",
        designer: "Ána Paula",
        tipo_producao: "painel",
        largura: "2",
        altura: "1",
        tecido: "Oxford",
        valor_unitario: "100.00",
        acabamento: { overloque: true, elastico: false, ilhos: false },
        comentarios: [{ id: "c1", autor: "x", texto: "ok", data: "2026-11-10T10:00:00Z" }],
        extra: 1,
      },
      { descricao: "Outro designer", designer: "Bruno" },
      { descricao: "Painel legado", designer: " ana paula ", legenda_imagem: "LIBERADO" },
    ],
  );
  ids.first = a.itemIds[0];
  ids.legacy = a.itemIds[2];
  const b = insertFixtureOrder(s.deps.db, { data_entrada: "2026-11-12", status: "em_producao" }, [
    { descricao: "Mais novo", designer: "ANA PAULA", status_arte: "liberado" },
  ]);
  ids.newest = b.itemIds[0];
  insertFixtureOrder(s.deps.db, { data_entrada: "2026-11-11", status: "entregue" }, [{ descricao: "Entregue", designer: "Ana Paula" }]);
  insertFixtureOrder(s.deps.db, { data_entrada: "2026-11-11", status: "cancelado" }, [{ descricao: "Cancelado", designer: "Ana Paula" }]);
  insertFixtureOrder(s.deps.db, { data_entrada: "2026-11-11", rascunho: true }, [{ descricao: "Rascunho", designer: "Ana Paula" }]);
});
afterAll(() => s?.stop());

const panel = (query = "", name = "Ana Paula") => s.request("GET", `/designers/${encodeURIComponent(name)}/itens${query}`, { token });

describe("GET /designers/:nome/itens", () => {
  it("lists the designer's items of open orders, newest first, ignoring case, accents and spaces", async () => {
    const r = await panel();
    expect(r.status).toBe(200);
    expect(r.body.map((x: any) => x.item_id)).toEqual([ids.newest, ids.first, ids.legacy]);
  });

  it("returns the DesignerArteItem shape, without money fields", async () => {
    const item = (await panel()).body[1];
    expect(item).toMatchObject({
      item_id: ids.first,
      numero_pedido: expect.any(String),
      cliente: "Loja A",
      data_entrega: "2026-11-20",
      status_pedido: "pendente",
      prioridade: "ALTA",
      status_arte: "aguardando",
      tipo_producao: "painel",
      descricao: "Painel 1",
      largura: "2",
      altura: "1",
      tecido: "Oxford",
      acabamento: { overloque: true, elastico: false, ilhos: false },
      imagem: null,
      ziper: null,
      comentarios: [{ id: "c1", autor: "x", texto: "ok", data: "2026-11-10T10:00:00Z" }],
    });
    expect(item).not.toHaveProperty("valor_unitario");
    expect(item).not.toHaveProperty("extra");
  });

  it("reads the legacy LIBERADO caption when no art status was ever set", async () => {
    const r = await panel();
    expect(r.body.find((x: any) => x.item_id === ids.legacy).status_arte).toBe("liberado");
    expect(r.body.find((x: any) => x.item_id === ids.newest).status_arte).toBe("liberado");
  });

  it("pages with limit and offset and filters by entry date", async () => {
    expect((await panel("?limit=1&offset=1")).body.map((x: any) => x.item_id)).toEqual([ids.first]);
    expect((await panel("?limit=0")).body.length).toBe(1); // clamped to 1, as the original
    expect((await panel("?start_date=2026-11-11&end_date=2026-11-30")).body.map((x: any) => x.item_id)).toEqual([ids.newest]);
    expect((await panel("?start_date=nope")).status).toBe(422);
  });

  it("gives an empty list for an unknown designer and needs a token", async () => {
    expect((await panel("", "Ninguém")).body).toEqual([]);
    expect((await s.request("GET", "/designers/Ana/itens")).status).toBe(401);
  });
});
