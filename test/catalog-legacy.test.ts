import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLegacyDatabase } from "./fixtures/legacy-db.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";

let dir: string;
let s: TestServer;
let token: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sgp-legacy-catalogs-"));
  createLegacyDatabase(join(dir, "sgp.db"));
  s = await startTestServer({ dir, env: { SGP_ADMIN_USER: "admin", SGP_ADMIN_PASSWORD: "senha-antiga-1" } });
  token = s.adminToken;
});
afterAll(async () => {
  await s?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("catalog screens on a database taken over from the original", () => {
  it("finds the original's customers by folded name and keeps their rows", async () => {
    const r = await s.request("GET", "/clientes/?q=JOAO avila", { token });
    expect(r.body).toEqual([{ id: 1, nome: "João Ávila", cep: "29000-000", cidade: "Vitória", estado: "ES", telefone: "2799" }]);
  });

  it("seeds the empty production-type table and leaves the filled ones alone", async () => {
    expect((await s.request("GET", "/producoes/ativos", { token })).body.map((p: any) => p.name)).toContain("painel");
    expect((await s.request("GET", "/materiais/", { token })).body).toEqual([
      { id: 1, nome: "Oxford", tipo: "tecido", valor_metro: 12.5, estoque_metros: 100, ativo: true, observacao: null },
    ]);
  });

  it("sends legacy machine timestamps as ISO UTC and print statuses lowercase, tied to real item ids", async () => {
    expect((await s.request("GET", "/maquinas/", { token })).body).toEqual([
      { id: 1, name: "Epson F9470", active: true, created_at: "2025-01-01T00:00:00.000Z" },
    ]);
    const logs = (await s.request("GET", "/print-logs/", { token })).body;
    expect(logs.map((l: any) => l.status).sort()).toEqual(["error", "reprint", "success"]);
    // Log 2 named item 1001, the original's fallback address of order 1's second item.
    const second = logs.find((l: any) => l.id === 2);
    expect(second).toMatchObject({
      printer_name: "Epson F9470",
      pedido_id: 1,
      pedido_numero: "0000000007",
      item_descricao: "Totem",
      status: "error",
      error_message: "papel",
      created_at: "2025-03-02T08:05:00.000Z",
    });
    const item = (await s.request("GET", "/pedidos/1", { token })).body.items.find((i: any) => i.descricao === "Totem");
    expect(second.item_id).toBe(item.id);
    expect((await s.request("GET", "/print-logs/?status_filter=reprint", { token })).body.map((l: any) => l.id)).toEqual([3]);
  });

  it("shows the original's items on the designer panel and protects the catalog entries they name", async () => {
    const panel = (await s.request("GET", "/designers/ana/itens", { token })).body;
    expect(panel.map((x: any) => [x.order_id, x.descricao, x.status_pedido])).toEqual([[1, "Painel 3x2", "em_producao"]]);
    expect((await s.request("DELETE", "/materiais/1", { token })).status).toBe(409);
    expect((await s.request("DELETE", "/maquinas/1", { token })).status).toBe(409);
  });
});
