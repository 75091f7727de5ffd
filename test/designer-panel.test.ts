import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { makePng } from "./helpers/images.ts";

let s: TestServer;
let seller: { id: number; token: string };
let designer: { id: number; token: string };
let orderId: number;
let itemIds: number[];

/** Events appended to the log after `afterId`, as {type, order_id, payload}. */
const eventsAfter = (afterId: number) =>
  (
    s.deps.db.raw.prepare("SELECT id, type, order_id, payload, actor_name FROM event_log WHERE id > ? ORDER BY id").all(afterId) as any[]
  ).map((e) => ({
    ...e,
    payload: JSON.parse(e.payload),
  }));
const lastEventId = () => Number((s.deps.db.raw.prepare("SELECT coalesce(max(id), 0) AS n FROM event_log").get() as any).n);

beforeAll(async () => {
  s = await startTestServer();
  seller = await s.createUser("vendas1", "vendas-pass-123", { setor: "vendas" });
  designer = await s.createUser("ana", "ana-pass-123", { setor: "designer" });
  const r = await s.request("POST", "/pedidos/", {
    token: seller.token,
    body: {
      cliente: "Padaria Pão Bom",
      data_entrada: "2026-11-29",
      data_entrega: "2026-12-05",
      items: [
        {
          tipo_producao: "painel",
          descricao: "Fachada",
          designer: "Ana",
          largura: "2",
          altura: "1",
          tecido: "Oxford",
          imagem: `data:image/png;base64,${makePng(3, 3).toString("base64")}`,
        },
        { tipo_producao: "lona", descricao: "Faixa", designer: "ana " },
        { tipo_producao: "adesivo", descricao: "Outro", designer: "Bruno" },
      ],
    },
  });
  expect(r.status).toBe(200);
  orderId = r.body.id;
  itemIds = r.body.items.map((i: any) => i.id);
});
afterAll(() => s?.stop());

const setStatus = (item: number, status_arte: string, token = designer.token) =>
  s.request("PATCH", `/designers/itens/${item}/status-arte`, { body: { status_arte }, token });

describe("designer panel over real orders", () => {
  it("lists the designer's items of the order, addressed by their stable ids", async () => {
    const r = await s.request("GET", "/designers/Ana/itens?start_date=2026-11-01&end_date=2026-11-30", { token: designer.token });
    expect(r.status).toBe(200);
    expect(r.body.map((x: any) => [x.item_id, x.descricao, x.status_arte])).toEqual([
      [itemIds[0], "Fachada", "aguardando"],
      [itemIds[1], "Faixa", "aguardando"],
    ]);
    expect(r.body[0]).toMatchObject({
      order_id: orderId,
      cliente: "Padaria Pão Bom",
      data_entrega: "2026-12-05",
      status_pedido: "pendente",
      comentarios: [],
    });
  });

  it("shows the item's stored image through a signed URL that loads without a token", async () => {
    const [item] = (await s.request("GET", "/designers/Ana/itens", { token: designer.token })).body;
    expect(item.imagem).toMatch(/^\/pedidos\/imagens\/\d+\?exp=\d+&sig=[\w-]+$/);
    const img = await s.request("GET", item.imagem);
    expect(img.status).toBe(200);
    expect(img.headers.get("content-type")).toBe("image/png");
    expect((await s.request("GET", item.imagem.replace(/sig=[\w-]+/, `sig=${"A".repeat(43)}`))).status).toBe(401);
  });

  it("releases an item's art: one order_updated event and an art-ready notification for the order's creator", async () => {
    const mark = lastEventId();
    const r = await setStatus(itemIds[0], "liberado");
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ item_id: itemIds[0], order_id: orderId, status_arte: "liberado", descricao: "Fachada" });
    const evs = eventsAfter(mark);
    expect(evs.map((e) => e.type)).toEqual(["order_updated", "designer_art_ready"]);
    expect(evs[0]).toMatchObject({ order_id: orderId, actor_name: "ana" });
    expect(evs[0].payload.order.items.find((i: any) => i.id === itemIds[0]).status_arte).toBe("liberado");
    expect(evs[1].payload).toMatchObject({
      user_id: seller.id,
      order_id: orderId,
      art_id: itemIds[0],
      notification_id: expect.any(String),
    });
    const order = await s.request("GET", `/pedidos/${orderId}`, { token: seller.token });
    expect(order.body.items.map((i: any) => [i.id, i.status_arte])).toEqual([
      [itemIds[0], "liberado"],
      [itemIds[1], "aguardando"],
      [itemIds[2], "aguardando"],
    ]);
  });

  it("writes and emits nothing when the status does not change", async () => {
    const mark = lastEventId();
    const r = await setStatus(itemIds[0], "liberado");
    expect(r.status).toBe(200);
    expect(r.body.status_arte).toBe("liberado");
    expect(eventsAfter(mark)).toEqual([]);
  });

  it("holds the art back again without notifying anyone", async () => {
    const mark = lastEventId();
    expect((await setStatus(itemIds[0], "aguardando")).body.status_arte).toBe("aguardando");
    expect(eventsAfter(mark).map((e) => e.type)).toEqual(["order_updated"]);
  });

  it("does not notify the creator of their own release", async () => {
    const mark = lastEventId();
    expect((await setStatus(itemIds[1], "liberado", seller.token)).status).toBe(200);
    expect(eventsAfter(mark).map((e) => e.type)).toEqual(["order_updated"]);
  });

  it("accepts the original's fallback id (pedido.id*1000+index)", async () => {
    const r = await setStatus(orderId * 1000 + 2, "liberado");
    expect(r.status).toBe(200);
    expect(r.body.item_id).toBe(itemIds[2]);
  });

  it("appends comments signed with the caller's name, returning the whole item", async () => {
    const mark = lastEventId();
    const first = await s.request("POST", `/designers/itens/${itemIds[0]}/comentarios`, {
      body: { texto: " Cliente pediu azul ", autor: "forjado" },
      token: designer.token,
    });
    expect(first.status).toBe(200);
    expect(first.body.comentarios).toEqual([
      { id: expect.stringMatching(/^[0-9a-f-]{36}$/), autor: "ana", texto: "Cliente pediu azul", data: expect.stringMatching(/Z$/) },
    ]);
    const second = await s.request("POST", `/designers/itens/${itemIds[0]}/comentarios`, {
      body: { texto: "Ok", autor: "vendas1" },
      token: seller.token,
    });
    expect(second.body.comentarios.map((c: any) => [c.autor, c.texto])).toEqual([
      ["ana", "Cliente pediu azul"],
      ["vendas1", "Ok"],
    ]);
    expect(second.body).toMatchObject({ item_id: itemIds[0], descricao: "Fachada", status_arte: "aguardando" });
    expect(eventsAfter(mark).map((e) => [e.type, e.order_id])).toEqual([
      ["order_updated", orderId],
      ["order_updated", orderId],
    ]);
  });

  it("keeps art status and comments when the order form saves the item again without them", async () => {
    const cur = (await s.request("GET", `/pedidos/${orderId}`, { token: seller.token })).body;
    const items = cur.items.map((i: any) => ({
      id: i.id,
      tipo_producao: i.tipo_producao,
      descricao: `${i.descricao} v2`,
      designer: i.designer,
    }));
    const r = await s.request("PATCH", `/pedidos/${orderId}`, { body: { items }, token: seller.token });
    expect(r.status).toBe(200);
    const panel = await s.request("GET", "/designers/ana/itens", { token: designer.token });
    const fachada = panel.body.find((x: any) => x.item_id === itemIds[0]);
    expect(fachada).toMatchObject({ descricao: "Fachada v2", status_arte: "aguardando" });
    expect(fachada.comentarios.length).toBe(2);
    expect(panel.body.find((x: any) => x.item_id === itemIds[1]).status_arte).toBe("liberado");
  });

  it("rejects bad input without writing anything", async () => {
    const mark = lastEventId();
    const bad = await setStatus(itemIds[0], "pronto");
    expect(bad.status).toBe(422);
    const missing = await setStatus(987654321, "liberado");
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toBe("Item 987654321 não encontrado em nenhum pedido ativo.");
    expect(
      (await s.request("PATCH", "/designers/itens/abc/status-arte", { body: { status_arte: "liberado" }, token: designer.token })).status,
    ).toBe(404);
    const empty = await s.request("POST", `/designers/itens/${itemIds[0]}/comentarios`, {
      body: { texto: "   ", autor: "ana" },
      token: designer.token,
    });
    expect(empty.status).toBe(422);
    const noItem = await s.request("POST", "/designers/itens/987654321/comentarios", { body: { texto: "x" }, token: designer.token });
    expect(noItem.body.detail).toBe("Item 987654321 não encontrado.");
    expect((await s.request("PATCH", `/designers/itens/${itemIds[0]}/status-arte`, { body: { status_arte: "liberado" } })).status).toBe(
      401,
    );
    expect(eventsAfter(mark)).toEqual([]);
  });

  it("drops the items of delivered orders from the panel", async () => {
    const r = await s.request("PATCH", `/pedidos/${orderId}`, { body: { status: "entregue" }, token: seller.token });
    expect(r.status).toBe(200);
    expect((await s.request("GET", "/designers/Ana/itens", { token: designer.token })).body).toEqual([]);
  });

  it("keeps catalog entries that real orders name from being deleted", async () => {
    const order = await s.request("POST", "/pedidos/", {
      token: seller.token,
      body: { cliente: "X", data_entrada: "2026-11-29", items: [{ tipo_producao: "painel", descricao: "y", tecido: "Oxford " }] },
    });
    expect(order.status).toBe(200);
    const ana = await s.request("POST", "/designers/", { body: { nome: "ANA" }, token: seller.token });
    const oxford = await s.request("POST", "/materiais/", { body: { nome: "oxford", tipo: "tecido" }, token: seller.token });
    expect((await s.request("DELETE", `/designers/${ana.body.id}`, { token: s.adminToken })).status).toBe(409);
    expect((await s.request("DELETE", `/materiais/${oxford.body.id}`, { token: s.adminToken })).status).toBe(409);
    const idle = await s.request("POST", "/designers/", { body: { nome: "Carla" }, token: seller.token });
    expect((await s.request("DELETE", `/designers/${idle.body.id}`, { token: s.adminToken })).status).toBe(204);
  });
});
