import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { insertFixtureOrder } from "./helpers/catalog-fixtures.ts";

let s: TestServer;
let token: string;
let userId: number;
let mimaki: number;
let epson: number;
let off: number;

const events = (type: string) =>
  s.deps.db.raw.prepare("SELECT type, order_id, payload, actor_name FROM event_log WHERE type = ? ORDER BY id").all(type) as any[];

beforeAll(async () => {
  s = await startTestServer();
  ({ id: userId, token } = await s.createUser("iris", "iris-pass-123"));
  const mk = async (name: string, active = true) =>
    (await s.request("POST", "/maquinas/", { body: { name, active }, token })).body.id as number;
  mimaki = await mk("Mimaki");
  epson = await mk("Epson");
  off = await mk("Antiga", false);
});
afterAll(() => s?.stop());

describe("GET /maquinas/dashboard/overview", () => {
  it("queues each active machine's items of pending and in-production orders, urgent first", async () => {
    const a = insertFixtureOrder(s.deps.db, { status: "pendente", data_entrega: "2026-12-10" }, [
      {
        descricao: "Painel A",
        tipo_producao: "painel",
        largura: "2",
        altura: "1",
        tecido: "Oxford",
        machine_id: mimaki,
        imagem: "pedidos/1/a.png",
      },
      { descricao: "Sem máquina", tipo_producao: "painel" },
    ]);
    const b = insertFixtureOrder(s.deps.db, { status: "em_producao", prioridade: "ALTA", data_entrega: "2026-12-20" }, [
      { descricao: "Lona B", tipo_producao: "lona", metro_quadrado: "3", quantidade_lona: "2", machine_id: mimaki },
    ]);
    insertFixtureOrder(s.deps.db, { status: "entregue" }, [{ descricao: "Entregue", machine_id: mimaki }]);
    insertFixtureOrder(s.deps.db, { status: "pendente", rascunho: true }, [{ descricao: "Rascunho", machine_id: mimaki }]);
    insertFixtureOrder(s.deps.db, { status: "pendente" }, [{ descricao: "Na inativa", machine_id: off }]);

    const r = await s.request("GET", "/maquinas/dashboard/overview", { token });
    expect(r.status).toBe(200);
    expect(r.body.map((m: any) => m.machine_name)).toEqual(["Epson", "Mimaki"]);
    expect(r.body[0]).toEqual({ machine_id: epson, machine_name: "Epson", total_items: 0, total_area: 0, queue: [] });
    const m = r.body[1];
    expect(m).toMatchObject({ machine_id: mimaki, total_items: 2, total_area: 8 });
    expect(m.queue).toEqual([
      {
        order_id: b.orderId,
        order_number: expect.any(String),
        item_index: 0,
        item_id: b.itemIds[0],
        item_name: "Lona B",
        dimensions: null,
        material: null,
        date_due: "2026-12-20",
        preview_url: null,
        status: "em_producao",
        priority: "ALTA",
      },
      {
        order_id: a.orderId,
        order_number: expect.any(String),
        item_index: 0,
        item_id: a.itemIds[0],
        item_name: "Painel A",
        dimensions: "2x1",
        material: "Oxford",
        date_due: "2026-12-10",
        preview_url: expect.stringMatching(/^\/pedidos\/media\/pedidos\/1\/a\.png\?exp=\d+&sig=/),
        status: "pendente",
        priority: "NORMAL",
      },
    ]);
  });

  it("lists only active machines under /maquinas/ativos", async () => {
    const r = await s.request("GET", "/maquinas/ativos", { token });
    expect(r.body.map((m: any) => m.name).sort()).toEqual(["Epson", "Mimaki"]);
    expect(r.body[0]).toEqual({ id: expect.any(Number), name: expect.any(String), active: true, created_at: expect.stringMatching(/Z$/) });
  });
});

describe("print logs", () => {
  let order: { orderId: number; itemIds: number[] };
  let legacy: { orderId: number; itemIds: number[] };

  beforeAll(() => {
    order = insertFixtureOrder(s.deps.db, { cliente: "Gráfica Sol" }, [
      { descricao: "Item 1", largura: "1", altura: "2", tecido: "Oxford", machine_id: mimaki },
      { descricao: "Item 2", tecido: "Helanca" },
    ]);
    legacy = insertFixtureOrder(s.deps.db, { legacyIds: true }, [{ descricao: "L0" }, { descricao: "L1" }]);
  });

  it("records a print on a real item id, enriched with order and item data, and emits an event", async () => {
    const before = events("print_log_created").length;
    const r = await s.request("POST", "/print-logs/", {
      body: { printer_id: mimaki, pedido_id: order.orderId, item_id: order.itemIds[0], status: "success" },
      token,
    });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({
      id: expect.any(Number),
      printer_id: mimaki,
      printer_name: "Mimaki",
      pedido_id: order.orderId,
      pedido_numero: expect.any(String),
      cliente: "Gráfica Sol",
      item_id: order.itemIds[0],
      item_descricao: "Item 1",
      item_imagem: null,
      item_medidas: "1x2",
      item_material: "Oxford",
      status: "success",
      error_message: null,
      created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
    });
    const logged = events("print_log_created");
    expect(logged.length).toBe(before + 1);
    const last = logged.at(-1);
    expect(last.order_id).toBe(order.orderId);
    expect(last.actor_name).toBe("iris");
    expect(JSON.parse(last.payload)).toMatchObject({
      type: "print_log_created",
      order_id: order.orderId,
      user_id: userId,
      print_log: { id: r.body.id },
    });
  });

  it("upserts by order and item: a reprint updates the same row", async () => {
    const first = await s.request("POST", "/print-logs", {
      body: { printer_id: epson, pedido_id: order.orderId, item_id: order.itemIds[1], status: "error", error_message: "cabeça entupida" },
      token,
    });
    const again = await s.request("POST", "/print-logs", {
      body: { printer_id: epson, pedido_id: order.orderId, item_id: order.itemIds[1], status: "REPRINT" },
      token,
    });
    expect(again.body.id).toBe(first.body.id);
    expect(again.body).toMatchObject({ status: "reprint", error_message: null, item_descricao: "Item 2" });
  });

  it("resolves the original's fallback item id to the stable one", async () => {
    const r = await s.request("POST", "/print-logs/", {
      body: { printer_id: epson, pedido_id: legacy.orderId, item_id: legacy.orderId * 1000 + 1, status: "success" },
      token,
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ item_id: legacy.itemIds[1], item_descricao: "L1" });
  });

  it("accepts printer_id 0 (no machine) and item_id null, showing the order's first item", async () => {
    const r = await s.request("POST", "/print-logs/", {
      body: { printer_id: 0, pedido_id: legacy.orderId, item_id: null, status: "success" },
      token,
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ printer_id: 0, printer_name: "Sem máquina", item_id: null, item_descricao: "L0" });
  });

  it("refuses unknown printers, orders and items, and bad bodies", async () => {
    const post = (body: unknown) => s.request("POST", "/print-logs/", { body, token });
    const nf = await post({ printer_id: 99999, pedido_id: order.orderId, status: "success" });
    expect(nf.status).toBe(404);
    expect(nf.body.detail).toBe("Máquina não encontrada");
    expect((await post({ printer_id: mimaki, pedido_id: 99999, status: "success" })).body.detail).toBe("Pedido não encontrado");
    expect((await post({ printer_id: mimaki, pedido_id: order.orderId, item_id: legacy.itemIds[0], status: "success" })).status).toBe(404);
    expect((await post({ printer_id: mimaki, pedido_id: order.orderId, status: "done" })).status).toBe(422);
    expect((await post({ printer_id: -1, pedido_id: order.orderId, status: "success" })).status).toBe(422);
    expect(
      (await s.request("POST", "/print-logs/", { body: { printer_id: mimaki, pedido_id: order.orderId, status: "success" } })).status,
    ).toBe(401);
  });

  it("lists newest first, with filters, per printer, and counts per printer", async () => {
    const all = await s.request("GET", "/print-logs/?limit=2000", { token });
    expect(all.status).toBe(200);
    expect(all.body.length).toBe(4);
    expect(all.body[0].created_at >= all.body[3].created_at).toBe(true);
    const page = await s.request("GET", "/print-logs?limit=2&offset=1", { token });
    expect(page.body.map((x: any) => x.id)).toEqual(all.body.slice(1, 3).map((x: any) => x.id));
    const ok = await s.request("GET", "/print-logs/?status_filter=success", { token });
    expect(ok.body.length).toBe(3);
    expect(ok.body.every((x: any) => x.status === "success")).toBe(true);
    const today = new Date().toISOString().slice(0, 10);
    expect((await s.request("GET", `/print-logs/?data_inicio=${today}&data_fim=${today}`, { token })).body.length).toBe(4);
    expect((await s.request("GET", "/print-logs/?data_fim=2000-01-01", { token })).body).toEqual([]);
    const ep = await s.request("GET", `/print-logs/printers/${epson}`, { token });
    expect(ep.body.map((x: any) => x.printer_name)).toEqual(["Epson", "Epson"]);
    expect((await s.request("GET", "/print-logs/?limit=50001", { token })).status).toBe(422);
    const st = await s.request("GET", `/print-logs/stats/${epson}`, { token });
    expect(st.body).toEqual({
      printer_id: epson,
      printer_name: "Epson",
      total_prints: 2,
      successful: 1,
      errors: 0,
      reprints: 1,
      success_rate: 50,
    });
    expect((await s.request("GET", "/print-logs/stats/99999", { token })).status).toBe(404);
  });

  it("keeps a machine with print history from being deleted", async () => {
    const r = await s.request("DELETE", `/maquinas/${epson}`, { token: s.adminToken });
    expect(r.status).toBe(409);
    expect(r.body.detail).toMatch(/registro\(s\) de impressão/);
    expect((await s.request("DELETE", `/maquinas/${off}`, { token: s.adminToken })).status).toBe(409); // an item still uses it
  });

  it("drops the logs of a deleted order with it", async () => {
    const gone = insertFixtureOrder(s.deps.db, {}, [{ descricao: "x" }]);
    await s.request("POST", "/print-logs/", {
      body: { printer_id: mimaki, pedido_id: gone.orderId, item_id: gone.itemIds[0], status: "success" },
      token,
    });
    s.deps.db.writeSync((tx) => tx.run("DELETE FROM pedidos WHERE id = ?", gone.orderId));
    const all = await s.request("GET", "/print-logs/?limit=2000", { token });
    expect(all.body.some((x: any) => x.pedido_id === gone.orderId)).toBe(false);
  });
});
