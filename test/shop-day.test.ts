import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { localDate } from "../lib/time.ts";

// "Today" is the shop's day (SHOP_TIMEZONE), not UTC's: in São Paulo, UTC's day starts at 21:00.
// One of two zones far from UTC (UTC+14, UTC-12) is always on another date than UTC: the test uses that one, so it
// fails whenever UTC's day is used instead of the shop's.
let s: TestServer;
const utcToday = new Date().toISOString().slice(0, 10);
const ZONE = ["Pacific/Kiritimati", "Etc/GMT+12"].find((z) => localDate(z) !== utcToday)!;
beforeAll(async () => {
  s = await startTestServer({ env: { SHOP_TIMEZONE: ZONE } });
});
afterAll(() => s.stop());

describe("the shop's day", () => {
  it("a new order, draft or reposição without a date gets the shop's local date", async () => {
    const today = localDate(ZONE);
    const o = await s.request("POST", "/pedidos/rascunho", { token: s.adminToken, body: { cliente: "Sem data" } });
    expect(o.body.data_entrada).toBe(today);
    const rep = await s.request("POST", "/reposicoes/", { token: s.adminToken, body: { order_id: o.body.id, motivo: "teste" } });
    expect(rep.status).toBe(201);
    expect(rep.body.data_solicitacao).toBe(today);
  });

  it("the dashboard's 'today' figures follow the shop's day", async () => {
    const today = localDate(ZONE);
    const yesterday = new Date(Date.parse(`${today}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const before = (await s.request("GET", "/pedidos/summary", { token: s.adminToken })).body;
    // Entered "yesterday" on paper but created now, then delivered now: both are today's in the shop's day.
    const o = (await s.request("POST", "/pedidos/", { token: s.adminToken, body: { cliente: "Hoje", data_entrada: yesterday } })).body;
    await s.request("PATCH", `/pedidos/${o.id}`, { token: s.adminToken, body: { status: "pronto", pronto: true } });
    const after = (await s.request("GET", "/pedidos/summary", { token: s.adminToken })).body;
    expect(after.hoje).toBe(before.hoje + 1);
    expect(after.concluidos_hoje).toBe(before.concluidos_hoje + 1);
    // An order entered yesterday (shop's day) and created "yesterday": not today's.
    const old = (await s.request("POST", "/pedidos/", { token: s.adminToken, body: { cliente: "Ontem", data_entrada: yesterday } })).body;
    s.deps.db.writeSync((tx) =>
      tx.run("UPDATE pedidos SET data_criacao = ? WHERE id = ?", new Date(Date.now() - 86_400_000).toISOString(), old.id),
    );
    expect((await s.request("GET", "/pedidos/summary", { token: s.adminToken })).body.hoje).toBe(after.hoje);
  });
});
