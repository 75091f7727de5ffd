// Migration 008 on a database of the original system: its relatorio_templates and safira_logs rows are taken over,
// and the closing report over its orders (totals that disagree with their items, orders without items) still adds
// up to what each order was charged.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "libsql";
import { createLegacyDatabase } from "./fixtures/legacy-db.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";

let dir: string;
let s: TestServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sgp-reports-legacy-"));
  const file = join(dir, "sgp.db");
  createLegacyDatabase(file);
  // The original created these tables (its /relatorios router was never mounted, the table was).
  const db = new Database(file);
  db.exec(`
    CREATE TABLE relatorio_templates (id INTEGER NOT NULL PRIMARY KEY, template_type VARCHAR(11) NOT NULL, title VARCHAR NOT NULL,
      "headerFields" JSON NOT NULL, styles JSON NOT NULL, "tableConfig" JSON, "pageConfig" JSON, "updatedAt" DATETIME NOT NULL);
    CREATE UNIQUE INDEX ix_relatorio_templates_template_type ON relatorio_templates (template_type);
    INSERT INTO relatorio_templates VALUES (1, 'fechamentos', 'Fechamento da Loja', '{"statusLabel":"Situação:"}', '{"fontSize":10}', NULL, '{"marginTop":5}', '2025-02-01 10:00:00.123456');
    CREATE TABLE safira_logs (id INTEGER NOT NULL PRIMARY KEY, pergunta VARCHAR NOT NULL, intent_detectada VARCHAR NOT NULL, reconhecida BOOLEAN NOT NULL,
      usuario_id INTEGER, created_at DATETIME NOT NULL);
    INSERT INTO safira_logs VALUES (1, 'pedidos hoje', 'pedidos_hoje', 1, 1, '2025-03-01 12:00:00.5');
  `);
  db.close();
  s = await startTestServer({ dir, env: { SGP_ADMIN_USER: "admin", SGP_ADMIN_PASSWORD: "senha-antiga-1" } });
});
afterAll(async () => {
  await s?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("taking over the original's report tables", () => {
  it("keeps the stored template (timestamps normalised) and serves the default for the missing one", async () => {
    const r = await s.request("GET", "/relatorios/templates", { token: s.adminToken });
    expect(r.status).toBe(200);
    expect(r.body.fechamentos).toEqual({
      title: "Fechamento da Loja",
      headerFields: { statusLabel: "Situação:" },
      styles: { fontSize: 10 },
      tableConfig: null,
      pageConfig: { marginTop: 5 },
      updatedAt: "2025-02-01T10:00:00.123Z",
    });
    expect(r.body.envios.title).toBe("Relatório de Envios");
  });

  it("keeps Safira's log and adds to it", async () => {
    expect(
      (await s.request("POST", "/safira/ask", { token: s.adminToken, body: { question: "quantos pedidos em produção?" } })).body.intent,
    ).toBe("pedidos_em_producao");
    const rows = s.deps.db.raw.prepare("SELECT id, pergunta, reconhecida, created_at FROM safira_logs ORDER BY id").all() as any[];
    expect(rows.map((r) => [r.id, r.pergunta, r.reconhecida])).toEqual([
      [1, "pedidos hoje", 1],
      [2, "quantos pedidos em produção?", 1],
    ]);
    expect(rows[0].created_at).toBe("2025-03-01T12:00:00.500Z");
  });
});

describe("the closing report over the original's orders", () => {
  it("adds up to every order's valor_total, the difference to its items on the last item", async () => {
    const r = await s.request(
      "GET",
      "/relatorios-fechamentos/pedidos/relatorio?report_type=analitico_cliente_designer&start_date=2025-03-01&end_date=2025-03-31&frete_distribution=proporcional",
      { token: s.adminToken },
    );
    expect(r.status, r.text).toBe(200);
    // 1,234.56 + 100.00 + 30.50 + 0.00 + 10.00
    expect(r.body.total).toEqual({ valor_frete: "15.50", valor_servico: "1359.56" });
    const joao = r.body.groups.find((g: any) => g.label === "Cliente: João Ávila");
    expect(joao.subgroups.flatMap((sg: any) => sg.rows.map((x: any) => [x.descricao, x.valor_servico]))).toEqual([
      ["Painel 3x2", "100.00"],
      ["Totem", "1119.56"], // 1,219.56 charged for items that price at 200.00
    ]);
    const ze = r.body.groups.find((g: any) => g.label === "Cliente: Zé");
    expect(ze.subgroups[0].rows).toEqual([
      { ficha: expect.any(String), descricao: "Pedido sem itens", valor_frete: "0.50", valor_servico: "30.00" },
    ]);
  });
});
