import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "libsql";
import { createLegacyDatabase } from "./fixtures/legacy-db.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";

let dir: string;
let s: TestServer;
const rows = (sql: string, ...p: unknown[]) => s.deps.db.raw.prepare(sql).all(...p) as Record<string, any>[];
const row = (sql: string, ...p: unknown[]) => rows(sql, ...p)[0];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sgp-legacy-"));
  createLegacyDatabase(join(dir, "sgp.db"));
  // No bootstrap admin: the legacy database already has one.
  s = await startTestServer({ dir, env: { SGP_ADMIN_USER: "admin", SGP_ADMIN_PASSWORD: "senha-antiga-1" } });
});
afterAll(async () => {
  await s?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("taking over a database of the original system", () => {
  it("writes a consistent backup first, holding the untouched legacy rows", () => {
    const backups = readdirSync(dir).filter((f) => f.startsWith("sgp.db.backup-"));
    expect(backups).toHaveLength(1);
    const b = new Database(join(dir, backups[0]), { readonly: true });
    const legacy = b.prepare("SELECT numero, valor_total, cidade_cliente, status FROM pedidos ORDER BY id").all() as Record<
      string,
      unknown
    >[];
    expect(legacy.map((r) => r.valor_total)).toEqual(["1.234,56", "100", "30.50", "0.00", "10,00"]);
    expect(b.prepare("SELECT password_plain FROM user WHERE id = 1").get()).toMatchObject({ password_plain: "senha-antiga-1" });
    b.close();
  });

  it("keeps every order with its values parsed as written, never recomputed", () => {
    const orders = rows("SELECT id, valor_total_cents, valor_frete_cents, valor_itens_cents, valor_total FROM pedidos ORDER BY id");
    expect(orders.map((o) => o.id)).toEqual([1, 2, 3, 4, 5]);
    expect(orders.map((o) => o.valor_total_cents)).toEqual([123456, 10000, 3050, 0, 1000]);
    expect(orders.map((o) => o.valor_frete_cents)).toEqual([1500, 0, 50, 0, 0]);
    expect(orders.map((o) => o.valor_itens_cents)).toEqual([121956, 10000, 3000, 0, 1000]);
    expect(orders[0].valor_total).toBe("1234.56");
  });

  it("splits 'Cidade||UF' and 'Cidade - UF', normalises statuses and dates, folds the customer for search", () => {
    const o = rows("SELECT id, cidade_cliente, estado_cliente, status, data_entrada, cliente_busca, prioridade FROM pedidos ORDER BY id");
    expect(o.map((r) => [r.cidade_cliente, r.estado_cliente])).toEqual([
      ["Vitória", "ES"],
      ["Serra", "ES"],
      ["Cariacica", null],
      [null, null],
      ["Linhares", "ES"],
    ]);
    expect(o.map((r) => r.status)).toEqual(["em_producao", "entregue", "pendente", "pronto", "pendente"]);
    expect(o[1].data_entrada).toBe("2025-03-02");
    expect(o[0].cliente_busca).toBe("joao avila");
    expect(o[0].prioridade).toBe("ALTA");
  });

  it("resolves duplicate and missing numeros deterministically: the lowest id keeps it", () => {
    const n = rows("SELECT id, numero FROM pedidos ORDER BY id").map((r) => r.numero);
    expect(n[0]).toBe("0000000007");
    expect(n[4]).toBe("0000000012");
    expect(new Set(n).size).toBe(5);
    // The renumbered ones continue after the highest numero, in id order.
    expect(n.slice(1, 4)).toEqual(["0000000013", "0000000014", "0000000015"]);
    expect(row("SELECT value FROM sequences WHERE name = 'pedido_numero'")!.value).toBe(15);
    expect(() => s.deps.db.raw.prepare("UPDATE pedidos SET numero = '0000000007' WHERE id = 2").run()).toThrow(/UNIQUE/);
  });

  it("moves items into rows with stable ids, keeping unknown keys and every value", () => {
    const items = rows(
      "SELECT id, pedido_id, posicao, legacy_id, tipo_producao, designer, data FROM pedido_itens ORDER BY pedido_id, posicao",
    );
    expect(items).toHaveLength(4);
    const [painel, totem, lona, adesivo] = items;
    // 501 appears in two orders, so it cannot be kept by either: both get fresh ids.
    expect(painel.id).not.toBe(501);
    expect(lona.id).not.toBe(501);
    expect(new Set(items.map((i) => i.id)).size).toBe(4);
    expect(painel).toMatchObject({ pedido_id: 1, posicao: 0, legacy_id: 1000, tipo_producao: "painel", designer: "Ana" });
    expect(totem).toMatchObject({ pedido_id: 1, posicao: 1, legacy_id: 1001 });
    expect(JSON.parse(painel.data)).toMatchObject({ cor_especial: "azul royal", valor_painel: "100,00", descricao: "Painel 3x2" });
    expect(JSON.parse(totem.data).valor_unitario).toBe("R$ 50,00");
    // Art the original released through legenda_imagem stays released.
    expect(JSON.parse(totem.data).status_arte).toBe("liberado");
    expect(JSON.parse(painel.data).status_arte).toBe("aguardando");
    expect(adesivo).toMatchObject({ pedido_id: 5, legacy_id: 5000 });
  });

  it("re-links images and print logs to real item ids; orphans are detached, not invented", () => {
    const imgs = rows("SELECT id, item_id, path FROM pedido_imagens ORDER BY id");
    expect(imgs.map((i) => i.id)).toEqual([1, 2]);
    expect(imgs[0].path).toBe("pedidos/1/abc.png");
    const items = rows("SELECT id FROM pedido_itens WHERE pedido_id = 1 ORDER BY posicao").map((r) => r.id);
    expect(imgs[1].item_id).toBe(items[1]);
    const logs = rows("SELECT id, pedido_id, item_id, item_id_legado, status FROM print_logs ORDER BY id");
    expect(logs[1]).toMatchObject({ pedido_id: 1, item_id: items[1], status: "error" });
    expect(logs[2]).toMatchObject({ pedido_id: null, item_id: null, item_id_legado: 42000, status: "reprint" });
    expect(rows("PRAGMA foreign_key_check")).toEqual([]);
  });

  it("hashes plaintext passwords, drops password_plain, and the original's bcrypt hashes still log in", async () => {
    expect(rows(`PRAGMA table_info("user")`).map((c) => c.name)).not.toContain("password_plain");
    expect(row(`SELECT password_hash FROM "user" WHERE id = 2`)!.password_hash).toMatch(/^\$2[aby]\$/);
    const r = await s.request("POST", "/auth/login", { body: { username: "impressao1", password: "texto-plano" } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ success: true, user_id: 2, username: "impressao1", setor: "geral" });
    const a = await s.request("POST", "/auth/login", { body: { username: "admin", password: "senha-antiga-1" } });
    expect(a.body.is_admin).toBe(true);
  });

  it("takes fichas and sheet layouts over into our shapes, every row kept (migration 7)", () => {
    expect(rows("SELECT id, client_id, imagem_path FROM fichas ORDER BY id")).toEqual([
      { id: 1, client_id: null, imagem_path: null },
      { id: 2, client_id: 1, imagem_path: "fichas/2/a1b2c3.png" },
      { id: 3, client_id: null, imagem_path: "fichas/3/d4e5f6.jpg" },
    ]);
    expect(rows("SELECT template_type, title, updatedAt FROM ficha_templates")).toEqual([
      { template_type: "geral", title: "FICHA DA LOJA", updatedAt: "2025-02-01T10:00:00.500Z" },
    ]);
    expect(rows(`PRAGMA foreign_key_list("fichas")`).map((f) => [f.table, f.on_delete])).toEqual([["cliente", "SET NULL"]]);
    expect(rows("SELECT id FROM schema_migrations WHERE id = 7")).toHaveLength(1);
  });

  it("leaves tables it does not own untouched and records the migration once", async () => {
    expect(row("SELECT nome FROM cliente WHERE id = 1")!.nome).toBe("João Ávila");
    expect(rows("SELECT id FROM schema_migrations").length).toBeGreaterThan(0);
    // A second start migrates nothing and writes no second backup.
    await s.close();
    s = await startTestServer({ dir, env: { SGP_ADMIN_USER: "admin", SGP_ADMIN_PASSWORD: "senha-antiga-1" } });
    expect(readdirSync(dir).filter((f) => f.startsWith("sgp.db.backup-"))).toHaveLength(1);
    expect(rows("SELECT id FROM pedidos")).toHaveLength(5);
  });
});
