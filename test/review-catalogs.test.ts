import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "libsql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLegacyDatabase } from "./fixtures/legacy-db.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { insertFixtureOrder } from "./helpers/catalog-fixtures.ts";

/**
 * Review of the catalogs, designer panel, machines and print logs against what the real client sends, on a
 * database taken over from the original (some client builds still talk the original's `legenda_imagem` dialect).
 */

let dir: string;
let s: TestServer;
let token: string;

const eventsOf = (orderId: number, type: string) =>
  s.deps.db.raw.prepare("SELECT id FROM event_log WHERE order_id = ? AND type = ?").all(orderId, type) as unknown[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sgp-review-catalogs-"));
  const file = join(dir, "sgp.db");
  createLegacyDatabase(file);
  // The original's first panel kept the art status in the item's `legenda_imagem` ("LIBERADO" / "AGUARDANDO").
  const raw = new Database(file);
  const row = raw.prepare("SELECT items FROM pedidos WHERE id = 1").get() as { items: string };
  const items = JSON.parse(row.items).map((i: any) => (i.designer === "Ana" ? { ...i, legenda_imagem: "LIBERADO" } : i));
  raw.prepare("UPDATE pedidos SET items = ? WHERE id = 1").run(JSON.stringify(items));
  raw.close();
  s = await startTestServer({ dir, env: { SGP_ADMIN_USER: "admin", SGP_ADMIN_PASSWORD: "senha-antiga-1" } });
  ({ token } = await s.createUser("rev", "rev-pass-123", { setor: "designer" }));
});
afterAll(async () => {
  await s?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("designer panel: the client's art-status body", () => {
  it("accepts the client's {legenda_imagem: LIBERADO|AGUARDANDO} as well as {status_arte}", async () => {
    const { orderId, itemIds } = insertFixtureOrder(s.deps.db, { status: "pendente" }, [
      { descricao: "A", tipo_producao: "painel", designer: "Rev" },
    ]);
    const patch = (body: unknown) => s.request("PATCH", `/designers/itens/${itemIds[0]}/status-arte`, { body, token });
    const released = await patch({ legenda_imagem: "LIBERADO" });
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ item_id: itemIds[0], status_arte: "liberado" });
    expect(eventsOf(orderId, "order_updated")).toHaveLength(1);
    const held = await patch({ legenda_imagem: "AGUARDANDO" });
    expect(held.body.status_arte).toBe("aguardando");
    expect((await patch({ status_arte: "liberado" })).body.status_arte).toBe("liberado");
    expect(eventsOf(orderId, "order_updated")).toHaveLength(3);
    const panel = await s.request("GET", "/designers/Rev/itens", { token });
    expect(panel.body[0].status_arte).toBe("liberado");
    for (const bad of [{}, { legenda_imagem: "PRONTO" }, { status_arte: "pronto" }]) expect((await patch(bad)).status).toBe(422);
    expect(eventsOf(orderId, "order_updated")).toHaveLength(3);
  });
});

describe("designer panel on the original's data (spec §8.29)", () => {
  it("keeps art the original released (legenda_imagem LIBERADO) released after the takeover, and can hold it back", async () => {
    const panel = async () =>
      (await s.request("GET", "/designers/ana/itens", { token })).body.find((x: any) => x.descricao === "Painel 3x2");
    const item = await panel();
    expect(item.status_arte).toBe("liberado");
    const held = await s.request("PATCH", `/designers/itens/${item.item_id}/status-arte`, { body: { status_arte: "aguardando" }, token });
    expect(held.body.status_arte).toBe("aguardando");
    expect((await panel()).status_arte).toBe("aguardando");
    expect(
      (await s.request("PATCH", `/designers/itens/${item.item_id}/status-arte`, { body: { status_arte: "liberado" }, token })).body
        .status_arte,
    ).toBe("liberado");
    expect((await panel()).status_arte).toBe("liberado");
  });
});

describe("a payment method the client's form refers to by id", () => {
  let s2: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    s2 = await startTestServer();
  });
  afterAll(async () => s2?.stop());

  it("cannot be deleted while an order carries its id in tipo_pagamento", async () => {
    const pay = await s2.request("POST", "/tipos-pagamentos", { token: s2.adminToken, body: { nome: "Boleto 30d" } });
    expect(pay.status).toBe(201);
    const o = await s2.request("POST", "/pedidos/", {
      token: s2.adminToken,
      body: { cliente: "C", data_entrada: "2026-11-29", tipo_pagamento: String(pay.body.id), items: [] },
    });
    expect(o.status).toBe(200);
    const del = await s2.request("DELETE", `/tipos-pagamentos/${pay.body.id}`, { token: s2.adminToken });
    expect(del.status).toBe(409);
    expect((await s2.request("GET", `/tipos-pagamentos/${pay.body.id}`, { token: s2.adminToken })).status).toBe(200);
  });
});
