// GET /pedidos/{id}/historico through the real server: every kind of change the writes make, one entry per
// write, paging, deleted orders, and the reposição event shape written through the order-event path.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { dataUrl, makePng } from "./helpers/images.ts";
import { getOrder } from "../lib/orders/read.ts";
import { orderHistory } from "../lib/history/index.ts";

let s: TestServer;
let seller: { id: number; token: string };
let designer: { id: number; token: string };
let orderId: number;
let items: number[];

const history = async (id = orderId, query = "", token = s.adminToken) => {
  const r = await s.request("GET", `/pedidos/${id}/historico${query}`, { token });
  expect(r.status, r.text).toBe(200);
  return r.body as any[];
};
const last = async () => (await history()).at(-1);
const change = (entry: any, field: string) => entry.changes.find((c: any) => c.field === field);
const patch = async (body: unknown, token = s.adminToken, id = orderId) => {
  const r = await s.request("PATCH", `/pedidos/${id}`, { token, body });
  expect(r.status, r.text).toBe(200);
  return r.body;
};
const item = (o: any, id: number) => o.items.find((i: any) => i.id === id);

beforeAll(async () => {
  s = await startTestServer();
  seller = await s.createUser("vendas-hist", "vendas-pass-123", { setor: "vendas" });
  designer = await s.createUser("ana-hist", "ana-pass-123", { setor: "designer" });
  const r = await s.request("POST", "/pedidos/", {
    token: seller.token,
    body: {
      cliente: "Gráfica Histórica",
      data_entrada: "2026-03-02",
      data_entrega: "2026-03-10",
      valor_frete: "10,00",
      items: [
        {
          tipo_producao: "painel",
          descricao: "Fachada",
          largura: "2",
          altura: "1",
          valor_unitario: "100.00",
          designer: "Ana",
          acabamento: { overloque: true, elastico: false, ilhos: false },
        },
        { tipo_producao: "lona", descricao: "Faixa", valor_unitario: "50.00" },
      ],
    },
  });
  expect(r.status, r.text).toBe(200);
  orderId = r.body.id;
  items = r.body.items.map((i: any) => i.id);
});
afterAll(() => s?.stop());

describe("order history", () => {
  it("starts with who created the order and what it was created with", async () => {
    const h = await history(orderId, "", seller.token);
    expect(h).toHaveLength(1);
    const [created] = h;
    expect(created).toMatchObject({
      type: "order_created",
      user_id: seller.id,
      username: "vendas-hist",
      at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    expect(created.event_id).toBeGreaterThan(0);
    expect(change(created, "cliente")).toEqual({ field: "cliente", from: null, to: "Gráfica Histórica" });
    expect(change(created, "valor_total")).toEqual({ field: "valor_total", from: null, to: "160.00" });
    expect(change(created, "data_entrega")).toEqual({ field: "data_entrega", from: null, to: "2026-03-10" });
    const added = change(created, `items[${items[0]}]`);
    expect(added.from).toBeNull();
    expect(added.to).toMatchObject({ descricao: "Fachada", largura: "2", acabamento: { overloque: true } });
    expect(added.to).not.toHaveProperty("imagem"); // empty fields are left out of an added item
    // Noise never listed: the stamp of every write, the derived pt-BR total.
    expect(change(created, "ultima_atualizacao")).toBeUndefined();
    expect(change(created, "valor_total_calculado")).toBeUndefined();
  });

  it("a PATCH that changes a stage is one entry, though it commits order_updated and order_status_updated", async () => {
    const before = (await history()).length;
    await patch({ financeiro: true });
    const h = await history();
    expect(h).toHaveLength(before + 1);
    const e = h.at(-1);
    expect(e).toMatchObject({ type: "order_status_updated", username: "admin" });
    expect(change(e, "financeiro")).toEqual({ field: "financeiro", from: false, to: true });
    expect(change(e, "financeiro_liberado_em")).toMatchObject({ from: null, to: expect.any(String) });
    const logged = s.deps.db.raw
      .prepare("SELECT type FROM event_log WHERE order_id = ? AND id >= ? ORDER BY id")
      .all(orderId, e.event_id) as any[];
    expect(logged.map((r) => r.type)).toEqual(["order_updated", "order_status_updated"]);

    await patch({ conferencia: true, sublimacao: true, status: "em_producao" }, seller.token);
    const stages = await last();
    expect(stages.changes).toEqual(
      expect.arrayContaining([
        { field: "conferencia", from: false, to: true },
        { field: "sublimacao", from: false, to: true },
        { field: "status", from: "pendente", to: "em_producao" },
      ]),
    );
    expect(stages.user_id).toBe(seller.id);
  });

  it("values as on the wire, dates, and text fields", async () => {
    await patch({ valor_frete: "25,50", data_entrega: "2026-03-12", observacao: "Entregar pela manhã", prioridade: "ALTA" });
    const e = await last();
    expect(e.type).toBe("order_updated");
    expect(e.changes).toEqual(
      expect.arrayContaining([
        { field: "valor_frete", from: "10.00", to: "25.50" },
        { field: "valor_total", from: "160.00", to: "175.50" },
        { field: "data_entrega", from: "2026-03-10", to: "2026-03-12" },
        { field: "observacao", from: null, to: "Entregar pela manhã" },
        { field: "prioridade", from: "NORMAL", to: "ALTA" },
      ]),
    );
  });

  it("items: added, removed and changed, each addressed by its id; images as references, never data", async () => {
    const current = (await s.request("GET", `/pedidos/${orderId}`, { token: s.adminToken })).body;
    const kept = {
      ...item(current, items[0]),
      largura: "3",
      acabamento: { overloque: true, elastico: true, ilhos: false },
      imagem: dataUrl(makePng(4, 4)),
    };
    const updated = await patch({ items: [kept, { tipo_producao: "adesivo", descricao: "Adesivo novo", valor_unitario: "20.00" }] });
    const added = updated.items.find((i: any) => i.descricao === "Adesivo novo").id;
    const e = await last();
    expect(change(e, `items[${items[0]}].largura`)).toEqual({ field: `items[${items[0]}].largura`, from: "2", to: "3" });
    expect(change(e, `items[${items[0]}].acabamento.elastico`)).toEqual({
      field: `items[${items[0]}].acabamento.elastico`,
      from: false,
      to: true,
    });
    expect(change(e, `items[${items[1]}]`)).toMatchObject({ from: { descricao: "Faixa" }, to: null });
    expect(change(e, `items[${added}]`)).toMatchObject({ from: null, to: { descricao: "Adesivo novo" } });
    const img = change(e, `items[${items[0]}].imagem`);
    expect(img.from).toBeNull();
    expect(img.to).toMatch(/^\/pedidos\/imagens\/\d+$/); // the stored reference, unsigned
    expect(change(e, `items[${items[0]}].imagem_path`).to).toMatch(/^pedidos\/\d+\/[\w-]+\.png$/);
    expect(JSON.stringify(e)).not.toContain("base64");
    expect(change(e, "valor_itens")).toEqual({ field: "valor_itens", from: "150.00", to: "120.00" });
    items = [items[0], added];
  });

  it("the item route, art status and comments of the designer panel", async () => {
    const r = await s.request("PATCH", `/pedidos/pedido-itens/${items[1]}`, {
      token: seller.token,
      body: { perfil_cor: "FOGRA39", pedido_id: orderId },
    });
    expect(r.status, r.text).toBe(200);
    expect(change(await last(), `items[${items[1]}].perfil_cor`)).toEqual({
      field: `items[${items[1]}].perfil_cor`,
      from: null,
      to: "FOGRA39",
    });

    const before = (await history()).length;
    const art = await s.request("PATCH", `/designers/itens/${items[0]}/status-arte`, {
      token: designer.token,
      body: { status_arte: "liberado" },
    });
    expect(art.status, art.text).toBe(200);
    const h = await history();
    // The release also notifies the creator (designer_art_ready, same transaction): still one entry.
    expect(h).toHaveLength(before + 1);
    expect(h.at(-1)).toMatchObject({
      username: "ana-hist",
      changes: [{ field: `items[${items[0]}].status_arte`, from: "aguardando", to: "liberado" }],
    });

    const c = await s.request("POST", `/designers/itens/${items[0]}/comentarios`, {
      token: designer.token,
      body: { texto: "Cores conferidas", autor: "ana-hist" },
    });
    expect(c.status, c.text).toBe(200);
    const comment = (await last()).changes[0];
    expect(comment.field).toMatch(new RegExp(`^items\\[${items[0]}\\]\\.comentarios\\[[0-9a-f-]{36}\\]$`));
    expect(comment).toMatchObject({ from: null, to: { autor: "ana-hist", texto: "Cores conferidas", data: expect.any(String) } });
  });

  it("print logs: a new log, then a reprint of the same (order, item) as the change of its fields", async () => {
    const m = await s.request("POST", "/maquinas/", { token: s.adminToken, body: { name: "Mimaki 1", active: true } });
    expect(m.status, m.text).toBeLessThan(300);
    const post = (status: string) =>
      s.request("POST", "/print-logs/", {
        token: seller.token,
        body: { printer_id: m.body.id, pedido_id: orderId, item_id: items[0], status },
      });
    const first = await post("success");
    expect(first.status, first.text).toBe(201);
    const e = await last();
    expect(e).toMatchObject({ type: "print_log_created", username: "vendas-hist" });
    expect(e.changes).toEqual([
      {
        field: `print_logs[${first.body.id}]`,
        from: null,
        to: { printer_id: m.body.id, printer_name: "Mimaki 1", item_id: items[0], item_descricao: "Fachada", status: "success" },
      },
    ]);
    expect((await post("reprint")).body.id).toBe(first.body.id);
    expect((await last()).changes).toEqual([{ field: `print_logs[${first.body.id}].status`, from: "success", to: "reprint" }]);
  });

  it("reposições: the order event of a reposição write (its wire object and action beside the order) ", async () => {
    // The reposição routes arrive with their own issue; their writes emit `order_updated` on the order with
    // `reposicao` and `reposicao_acao` beside the standard payload. Written here exactly as such a write does.
    const actor = { id: seller.id, username: "vendas-hist" };
    const emit = (reposicao: Record<string, unknown>, acao: string) =>
      s.deps.db.writeSync((tx) => {
        const order = { ...getOrder(tx, orderId)!, user_id: actor.id, username: actor.username };
        tx.emit({
          type: "order_updated",
          orderId,
          actor,
          payload: {
            type: "order_updated",
            order,
            order_id: orderId,
            user_id: actor.id,
            username: actor.username,
            reposicao,
            reposicao_acao: acao,
          },
        });
      });
    const rep = { id: 71, numero: "R-0001", order_id: orderId, motivo: "Erro de impressão", status: "Pendente", prioridade: "NORMAL" };
    emit(rep, "criada");
    expect((await last()).changes).toEqual([{ field: "reposicoes[71]", from: null, to: rep }]);
    emit({ ...rep, status: "Em produção" }, "atualizada");
    expect((await last()).changes).toEqual([{ field: "reposicoes[71].status", from: "Pendente", to: "Em produção" }]);
    emit({ ...rep, status: "Em produção" }, "excluida");
    expect((await last()).changes).toEqual([{ field: "reposicoes[71]", from: { ...rep, status: "Em produção" }, to: null }]);
    // Paged so that the update's previous state is outside the page: it is read back from the log.
    const page = await history(orderId, "?limit=2");
    expect(page[0].changes).toEqual([{ field: "reposicoes[71].status", from: "Pendente", to: "Em produção" }]);
  });

  it("batch-status: one entry on each order it changed", async () => {
    const other = await s.request("POST", "/pedidos/", {
      token: seller.token,
      body: { cliente: "Outro", data_entrada: "2026-03-02", items: [] },
    });
    const before = (await history()).length;
    const r = await s.request("POST", "/pedidos/batch-status", {
      token: s.adminToken,
      body: { id_pedidos: [orderId, other.body.id], status: "entregue" },
    });
    expect(r.status, r.text).toBe(200);
    const h = await history();
    expect(h).toHaveLength(before + 1);
    expect(h.at(-1).changes).toEqual(
      expect.arrayContaining([
        { field: "status", from: "em_producao", to: "entregue" },
        { field: "pronto", from: false, to: true },
      ]),
    );
    const o = await history(other.body.id);
    expect(o.map((e) => e.type)).toEqual(["order_created", "order_status_updated"]);
  });

  it("pages with limit and before: the pages, joined, are the whole history, oldest first", async () => {
    const all = await history(orderId, "?limit=500");
    expect(all.length).toBeGreaterThan(8);
    const ids = all.map((e) => e.event_id);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    const joined: any[] = [];
    let before = "";
    for (let i = 0; i < 20; i++) {
      const page = await history(orderId, `?limit=3${before}`);
      expect(page.length).toBeLessThanOrEqual(3);
      joined.unshift(...page);
      if (page.length < 3) break;
      before = `&before=${page[0].event_id}`;
    }
    expect(joined).toEqual(all);
    // A cursor that cuts through a write (the id of its second event) still shows that write whole.
    const statusWrite = all.find((e) => e.type === "order_status_updated");
    const cut = await history(orderId, `?limit=1&before=${statusWrite.event_id + 1}`);
    expect(cut).toEqual([statusWrite]);
    expect(await history(orderId, `?before=${all[0].event_id}`)).toEqual([]);
    // The default page is the most recent 100.
    expect(await history()).toEqual(all.slice(-100));
  });

  it("a page that read too many bytes of snapshots ends early; walking back to an empty page still gets everything", async () => {
    const all = await history(orderId, "?limit=500");
    const joined: any[] = [];
    let before: number | undefined;
    for (let i = 0; i < 100; i++) {
      const page = await s.deps.db.read((q) => orderHistory(q, orderId, { limit: 50, before, maxBytes: 1 }, { isAdmin: true }));
      if (page.length === 0) break;
      expect(page).toHaveLength(1); // past the budget after one write
      joined.unshift(...page);
      before = page[0].event_id;
    }
    expect(joined).toEqual(all);
  });

  it("validates its input: 404 for unknown or non-numeric ids, 422 for a bad page", async () => {
    expect((await s.request("GET", "/pedidos/999999/historico", { token: s.adminToken })).status).toBe(404);
    const word = await s.request("GET", "/pedidos/abc/historico", { token: s.adminToken });
    expect(word.status).toBe(404);
    expect(typeof word.body.detail).toBe("string");
    for (const q of ["limit=0", "limit=501", "limit=x", "before=-1"]) {
      expect((await s.request("GET", `/pedidos/${orderId}/historico?${q}`, { token: s.adminToken })).status, q).toBe(422);
    }
    expect((await s.request("GET", `/pedidos/${orderId}/historico`)).status).toBe(401);
  });

  it("a deleted order's history stays readable by an admin, ending with order_deleted; others get 404", async () => {
    const o = await s.request("POST", "/pedidos/", {
      token: seller.token,
      body: { cliente: "Apagar", data_entrada: "2026-03-02", items: [{ descricao: "X", valor_unitario: "1.00" }] },
    });
    await patch({ cliente: "Apagar já" }, seller.token, o.body.id);
    expect((await s.request("DELETE", `/pedidos/${o.body.id}`, { token: s.adminToken })).status).toBe(200);
    const h = await history(o.body.id);
    expect(h.map((e) => e.type)).toEqual(["order_created", "order_updated", "order_deleted"]);
    expect(h[1].changes).toEqual([{ field: "cliente", from: "Apagar", to: "Apagar já" }]);
    expect(h[2]).toMatchObject({ username: "admin", changes: [] });
    expect((await s.request("GET", `/pedidos/${o.body.id}/historico`, { token: seller.token })).status).toBe(404);
  });

  it("items whose own keys mimic the order's (an unknown `data_criacao` after a list) are still read right", async () => {
    const o = await s.request("POST", "/pedidos/", {
      token: seller.token,
      body: {
        cliente: "Chaves",
        data_entrada: "2026-03-02",
        items: [{ descricao: "A", cores: ["azul"], data_criacao: "nao-e-do-pedido", valor_unitario: "1.00" }],
      },
    });
    expect(o.status, o.text).toBe(200);
    const itemId = o.body.items[0].id;
    await patch({ items: [{ ...o.body.items[0], cores: ["verde"] }] }, seller.token, o.body.id);
    await patch({ observacao: "ok" }, seller.token, o.body.id);
    const h = await history(o.body.id);
    expect(h[1].changes).toEqual([{ field: `items[${itemId}].cores`, from: ["azul"], to: ["verde"] }]);
    expect(h[2].changes).toEqual([{ field: "observacao", from: null, to: "ok" }]);
  });

  it("drafts: the draft's first save, then its promotion", async () => {
    const d = await s.request("POST", "/pedidos/rascunho", {
      token: seller.token,
      body: { cliente: "Rascunho", valor_frete: 5, items: [] },
    });
    expect(d.status, d.text).toBe(200);
    const p = await s.request("POST", `/pedidos/${d.body.id}/promover`, { token: seller.token });
    expect(p.status, p.text).toBe(200);
    const h = await history(d.body.id);
    expect(h.map((e) => e.type)).toEqual(["order_updated", "order_created"]);
    expect(change(h[1], "rascunho")).toEqual({ field: "rascunho", from: true, to: false });
    expect(change(h[1], "numero")).toEqual({ field: "numero", from: null, to: p.body.numero });
  });
});
