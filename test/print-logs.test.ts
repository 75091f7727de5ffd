// Print logs keep their history: a print without item_id is a new row every time, one with an item_id upserts per
// (pedido, item), an order created with machines has its `success` logs (an in-transaction hook of order_created),
// printer 0 is "Sem máquina", an unknown printer is 404.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { openTestDeps } from "./helpers/ctx.ts";
import { createOrder } from "../lib/orders/index.ts";

let s: TestServer;
let token: string;
let mimaki: number;
let epson: number;

const logsOf = (orderId: number) =>
  s.deps.db.raw.prepare("SELECT printer_id, item_id, status FROM print_logs WHERE pedido_id = ? ORDER BY id").all(orderId) as any[];

async function newOrder(items: Record<string, unknown>[], extra: Record<string, unknown> = {}) {
  const r = await s.request("POST", "/pedidos/", { token, body: { cliente: "Gráfica Log", data_entrada: "2026-04-01", items, ...extra } });
  expect(r.status, r.text).toBe(200);
  return r.body;
}

beforeAll(async () => {
  s = await startTestServer();
  token = (await s.createUser("logs-user", "logs-pass-123")).token;
  const mk = async (name: string) =>
    (await s.request("POST", "/maquinas/", { body: { name, active: true }, token: s.adminToken })).body.id as number;
  mimaki = await mk("Mimaki");
  epson = await mk("Epson");
});
afterAll(async () => s?.stop());

describe("POST /print-logs/ keeps the history", () => {
  it("two prints of one order (item_id null) give two rows, listed and counted by stats", async () => {
    const order = await newOrder([{ descricao: "Banner", tipo_producao: "lona" }]);
    const post = (status: string) =>
      s.request("POST", "/print-logs/", { token, body: { printer_id: epson, pedido_id: order.id, item_id: null, status } });
    const a = await post("success");
    const b = await post("reprint");
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body.id).not.toBe(a.body.id);
    expect(b.body).toMatchObject({
      printer_id: epson,
      printer_name: "Epson",
      pedido_id: order.id,
      item_id: null,
      item_descricao: "Banner",
      status: "reprint",
    });
    const mine = (await s.request("GET", "/print-logs/?limit=2000", { token })).body.filter((l: any) => l.pedido_id === order.id);
    expect(mine.map((l: any) => l.id)).toEqual([b.body.id, a.body.id]);
    const st = (await s.request("GET", `/print-logs/stats/${epson}`, { token })).body;
    expect(st).toEqual({
      printer_id: epson,
      printer_name: "Epson",
      total_prints: 2,
      successful: 1,
      errors: 0,
      reprints: 1,
      success_rate: 50,
    });
    expect((await s.request("GET", `/print-logs/printers/${epson}`, { token })).body.map((l: any) => l.id)).toEqual([b.body.id, a.body.id]);
  });

  it("with an item_id, one row per (pedido, item): a reprint updates it", async () => {
    const order = await newOrder([{ descricao: "A" }, { descricao: "B" }]);
    const [itemA, itemB] = order.items.map((i: any) => i.id);
    const post = (item_id: number, status: string, printer_id = mimaki, error_message?: string) =>
      s.request("POST", "/print-logs/", { token, body: { printer_id, pedido_id: order.id, item_id, status, error_message } });
    const first = await post(itemA, "error", mimaki, "cabeça entupida");
    const again = await post(itemA, "reprint", epson);
    const other = await post(itemB, "success");
    expect(again.body.id).toBe(first.body.id);
    expect(again.body).toMatchObject({ printer_id: epson, printer_name: "Epson", item_id: itemA, status: "reprint", error_message: null });
    expect(other.body.id).not.toBe(first.body.id);
    expect(logsOf(order.id)).toEqual([
      { printer_id: epson, item_id: itemA, status: "reprint" },
      { printer_id: mimaki, item_id: itemB, status: "success" },
    ]);
  });

  it("printer_id 0 is 'Sem máquina' (never a null name), listed and counted under printer 0", async () => {
    const order = await newOrder([{ descricao: "Sem máquina" }]);
    const r = await s.request("POST", "/print-logs/", {
      token,
      body: { printer_id: 0, pedido_id: order.id, item_id: null, status: "success" },
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ printer_id: 0, printer_name: "Sem máquina", pedido_id: order.id });
    await s.request("POST", "/print-logs/", { token, body: { printer_id: 0, pedido_id: order.id, item_id: null, status: "reprint" } });
    const all = (await s.request("GET", "/print-logs/", { token })).body;
    expect(all.every((l: any) => typeof l.printer_name === "string" && l.printer_name.length > 0)).toBe(true);
    const none = (await s.request("GET", "/print-logs/printers/0", { token })).body;
    expect(none.length).toBe(2);
    expect(none.every((l: any) => l.printer_id === 0 && l.printer_name === "Sem máquina")).toBe(true);
    expect((await s.request("GET", "/print-logs/stats/0", { token })).body).toMatchObject({
      printer_id: 0,
      printer_name: "Sem máquina",
      total_prints: 2,
      reprints: 1,
    });
  });

  it("an unknown printer is 404 'Máquina não encontrada' on every route; bad bodies 4xx; nothing written", async () => {
    const order = await newOrder([{ descricao: "x" }]);
    const before = logsOf(order.id).length;
    const post = (body: unknown) => s.request("POST", "/print-logs/", { token, body });
    const nf = await post({ printer_id: 99999, pedido_id: order.id, item_id: null, status: "success" });
    expect([nf.status, nf.body.detail]).toEqual([404, "Máquina não encontrada"]);
    for (const path of ["/print-logs/printers/99999", "/print-logs/stats/99999"]) {
      const r = await s.request("GET", path, { token });
      expect([r.status, r.body.detail], path).toEqual([404, "Máquina não encontrada"]);
    }
    expect((await post({ printer_id: epson, pedido_id: 99999, status: "success" })).body.detail).toBe("Pedido não encontrado");
    expect((await post({ printer_id: epson, pedido_id: order.id, item_id: 99999, status: "success" })).status).toBe(404);
    for (const body of [
      { printer_id: epson, pedido_id: order.id, status: "printed" },
      { printer_id: "x", pedido_id: order.id, status: "success" },
      { pedido_id: order.id, status: "success" },
      [],
    ]) {
      const r = await post(body);
      expect(r.status, JSON.stringify(body)).toBe(422);
    }
    expect(logsOf(order.id).length).toBe(before);
  });
});

describe("order create writes its print logs (order_created hook)", () => {
  it("one success log per item with a machine_id > 0 of an existing machine, with the committed item ids", async () => {
    const order = await newOrder([
      { descricao: "Na Mimaki", machine_id: mimaki },
      { descricao: "Sem máquina", machine_id: 0 },
      { descricao: "Na Epson (texto)", machine_id: String(epson) },
      { descricao: "Máquina que não existe", machine_id: 987654 },
      { descricao: "Nula", machine_id: null },
    ]);
    const ids = order.items.map((i: any) => i.id);
    expect(logsOf(order.id)).toEqual([
      { printer_id: mimaki, item_id: ids[0], status: "success" },
      { printer_id: epson, item_id: ids[2], status: "success" },
    ]);
    const listed = (await s.request("GET", `/print-logs/printers/${mimaki}`, { token })).body.find((l: any) => l.pedido_id === order.id);
    expect(listed).toMatchObject({
      printer_name: "Mimaki",
      pedido_numero: order.numero,
      cliente: "Gráfica Log",
      item_id: ids[0],
      item_descricao: "Na Mimaki",
      status: "success",
    });
  });

  it("a create that fails leaves no log (the hook is part of the order's transaction)", async () => {
    const first = await newOrder([{ descricao: "ok", machine_id: mimaki }], { numero: "7777777777" });
    const total = (s.deps.db.raw.prepare("SELECT COUNT(*) AS n FROM print_logs").get() as any).n;
    const dup = await s.request("POST", "/pedidos/", {
      token,
      body: { cliente: "Dup", data_entrada: "2026-04-01", numero: "7777777777", items: [{ descricao: "x", machine_id: mimaki }] },
    });
    expect(dup.status).toBe(409);
    expect((s.deps.db.raw.prepare("SELECT COUNT(*) AS n FROM print_logs").get() as any).n).toBe(total);
    expect(logsOf(first.id)).toHaveLength(1);
  });

  it("an edit adds no logs; a draft has none until it is promoted, and a promoted draft gets them once", async () => {
    const order = await newOrder([{ descricao: "Edit", machine_id: mimaki }]);
    const patched = await s.request("PATCH", `/pedidos/${order.id}`, {
      token,
      body: { items: [...order.items, { descricao: "Nova", machine_id: epson }] },
    });
    expect(patched.status).toBe(200);
    expect(logsOf(order.id)).toHaveLength(1);

    const draft = (
      await s.request("POST", "/pedidos/rascunho", {
        token,
        body: {
          cliente: "Rascunho",
          items: [
            { descricao: "D1", machine_id: mimaki },
            { descricao: "D2", machine_id: epson },
          ],
        },
      })
    ).body;
    expect(logsOf(draft.id)).toEqual([]);
    const [d1, d2] = draft.items.map((i: any) => i.id);
    // The item route logs the item it puts on a machine (the original's side effect), draft or not.
    expect((await s.request("PATCH", `/pedidos/pedido-itens/${d2}`, { token, body: { machine_id: epson } })).status).toBe(200);
    expect(logsOf(draft.id)).toHaveLength(1);
    const promoted = await s.request("POST", `/pedidos/${draft.id}/promover`, { token });
    expect(promoted.status).toBe(200);
    expect(logsOf(draft.id)).toEqual([
      { printer_id: epson, item_id: d2, status: "success" },
      { printer_id: mimaki, item_id: d1, status: "success" },
    ]);
  });

  it("is installed on every database the server opens (openDeps), not only on the HTTP path", async () => {
    const deps = openTestDeps();
    try {
      const m = deps.db.writeSync((tx) => tx.run("INSERT INTO machines (name, active) VALUES ('Roland', 1)").lastInsertRowid);
      const order = await createOrder(
        deps,
        { cliente: "Direto", data_entrada: "2026-04-02", items: [{ descricao: "x", machine_id: m }] } as never,
        { id: 1, username: "admin", isAdmin: true },
      );
      const rows = deps.db.raw.prepare("SELECT printer_id, item_id, status FROM print_logs WHERE pedido_id = ?").all(order.id);
      expect(rows).toEqual([{ printer_id: m, item_id: order.items[0].id, status: "success" }]);
    } finally {
      deps.dispose();
    }
  });
});
