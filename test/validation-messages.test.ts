import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";

// 422s keep FastAPI's shape, with Portuguese messages (valibot's defaults translated; schemas' own kept).
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.stop());

describe("validation messages", () => {
  it("missing fields, wrong types, lists of choices and lengths are told in Portuguese", async () => {
    const missing = await s.request("POST", "/pedidos/", { token: s.adminToken, body: {} });
    expect(missing.status).toBe(422);
    expect(missing.body.detail).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ loc: ["body", "cliente"], msg: "Campo obrigatório", type: "missing" }),
        expect.objectContaining({ loc: ["body", "data_entrada"], msg: "Campo obrigatório", type: "missing" }),
      ]),
    );
    const wrong = await s.request("POST", "/pedidos/", {
      token: s.adminToken,
      body: { cliente: 5, data_entrada: "2026-11-20", financeiro: "sim" },
    });
    expect(wrong.body.detail).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ loc: ["body", "cliente"], msg: "Tipo inválido: esperado texto, recebido 5" }),
        expect.objectContaining({ loc: ["body", "financeiro"], msg: 'Tipo inválido: esperado verdadeiro ou falso, recebido "sim"' }),
      ]),
    );
    const status = await s.request("POST", "/pedidos/batch-status", {
      token: s.adminToken,
      body: { id_pedidos: ["x"], status: "pendente" },
    });
    expect(status.body.detail[0]).toMatchObject({ loc: ["body", "id_pedidos", 0], msg: 'Tipo inválido: esperado número, recebido "x"' });
    const query = await s.request("GET", "/api/notificacoes/designer?limit=0", { token: s.adminToken });
    expect(query.status).toBe(422);
    for (const reply of [missing, wrong, status, query]) {
      for (const issue of reply.body.detail) expect(issue.msg, JSON.stringify(issue)).not.toMatch(/Invalid|Expected|received/);
    }
  });
});
