// Review of the foundation: legacy databases that broke or silently emptied the migration, bad input that
// became a 500, DATABASE_URL forms. Each block failed before its fix.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "libsql";
import { createLegacyDatabase } from "./fixtures/legacy-db.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { openDatabase } from "../lib/db/connection.ts";
import { migrate } from "../lib/db/migrate.ts";
import { createLogger } from "../lib/log.ts";
import { loadConfig } from "../lib/config.ts";
import { openTestDeps } from "./helpers/ctx.ts";
import { toIsoUtc } from "../lib/time.ts";

const LEGACY_ADMIN = { SGP_ADMIN_USER: "admin", SGP_ADMIN_PASSWORD: "senha-antiga-1" };
const dirs: string[] = [];
let s: TestServer | null = null;

/** A legacy database of the original, then `sql` run on it (foreign keys off, as the original ran). */
function legacyDir(sql = ""): string {
  const dir = mkdtempSync(join(tmpdir(), "sgp-review-"));
  dirs.push(dir);
  createLegacyDatabase(join(dir, "sgp.db"));
  if (sql) {
    const raw = new Database(join(dir, "sgp.db"));
    raw.exec("PRAGMA foreign_keys = OFF");
    raw.exec(sql);
    raw.close();
  }
  return dir;
}
const rows = (sql: string, ...p: unknown[]) => s!.deps.db.raw.prepare(sql).all(...p) as Record<string, any>[];

afterEach(async () => {
  await s?.stop();
  s = null;
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("legacy takeover", () => {
  it("a first start that failed mid-migration still imports the legacy data on the next start", async () => {
    const dir = legacyDir();
    // The first start dies inside migration 1 (a crash, a full disk): its transaction rolls back, but the
    // migrations table it created before stays, empty.
    const db = openDatabase(join(dir, "sgp.db"));
    const crash = {
      id: 1,
      name: "schema",
      up: () => {
        throw new Error("power cut");
      },
    };
    expect(() => migrate(db, createLogger("silent"), [crash])).toThrow("power cut");
    db.close();

    s = await startTestServer({ dir, env: LEGACY_ADMIN });
    expect(rows("SELECT pedido_id, posicao FROM pedido_itens ORDER BY pedido_id, posicao")).toEqual([
      { pedido_id: 1, posicao: 0 },
      { pedido_id: 1, posicao: 1 },
      { pedido_id: 2, posicao: 0 },
      { pedido_id: 5, posicao: 0 },
    ]);
    expect(rows("SELECT numero FROM pedidos ORDER BY id").map((r) => r.numero)).toEqual([
      "0000000007",
      "0000000013",
      "0000000014",
      "0000000015",
      "0000000012",
    ]);
    expect(rows(`SELECT password_hash FROM "user" WHERE id = 2`)[0].password_hash).toMatch(/^\$2[aby]\$/);
  });

  it("booleans stored as text ('t'/'f', 'true'/'false') are read as what they say, never as truthy strings", async () => {
    const dir = legacyDir(`
      UPDATE user SET is_admin = 'f', is_active = 't' WHERE id = 2;
      UPDATE pedidos SET financeiro = 'f', pronto = 'true', costura = 'false', expedicao = 'T' WHERE id = 2;
      UPDATE reposicoes SET financeiro = 'false', pronto = 't' WHERE id = 1;
    `);
    s = await startTestServer({ dir, env: LEGACY_ADMIN });
    const token = await s.login("impressao1", "texto-plano");
    expect((await s.request("GET", "/users", { token })).status).toBe(403);
    const o = await s.request("GET", "/pedidos/2", { token: s.adminToken });
    expect(o.body).toMatchObject({ financeiro: false, pronto: true, costura: false, expedicao: true });
    expect(rows("SELECT financeiro, pronto FROM reposicoes WHERE id = 1")[0]).toEqual({ financeiro: 0, pronto: 1 });
  });

  it("legacy NULLs in columns that are NOT NULL now do not stop the start, and the rows are kept", async () => {
    // An older or hand-edited file without the NOT NULL constraints.
    const dir = legacyDir(`
      CREATE TABLE p2 AS SELECT * FROM pedidos; DROP TABLE pedidos; ALTER TABLE p2 RENAME TO pedidos;
      UPDATE pedidos SET cliente = NULL, data_entrada = NULL WHERE id = 3;
    `);
    s = await startTestServer({ dir, env: LEGACY_ADMIN });
    expect(rows("SELECT id, cliente, data_entrada FROM pedidos WHERE id = 3")).toEqual([
      { id: 3, cliente: "", data_entrada: "2025-03-03" },
    ]);
    expect(rows("SELECT COUNT(*) AS n FROM pedidos")[0].n).toBe(5);
  });

  it("a view of the shop's own on a legacy table does not stop the start, and still works", async () => {
    const dir = legacyDir("CREATE VIEW v_pedidos AS SELECT id, numero, cliente FROM pedidos;");
    s = await startTestServer({ dir, env: LEGACY_ADMIN });
    expect(rows("SELECT id FROM v_pedidos ORDER BY id").map((r) => r.id)).toEqual([1, 2, 3, 4, 5]);
  });

  it("a large legacy database: every item, image and print log is imported and re-linked", async () => {
    const N = 3000;
    const dir = legacyDir();
    const raw = new Database(join(dir, "sgp.db"));
    raw.exec("BEGIN");
    const order = raw.prepare(`INSERT INTO pedidos (id, numero, data_entrada, prioridade, status, cliente, forma_envio_id, financeiro,
      conferencia, sublimacao, costura, expedicao, pronto, items) VALUES (?, ?, '2025-01-01', 'NORMAL', 'pendente', 'c', 0, 0, 0, 0, 0, 0, 0, ?)`);
    const image = raw.prepare(`INSERT INTO pedido_imagens (pedido_id, item_index, filename, mime_type, path, tamanho, criado_em)
      VALUES (?, 1, 'a.png', 'image/png', 'p/a.png', 1, '2025-01-01')`);
    const log = raw.prepare(`INSERT INTO print_logs (printer_id, pedido_id, item_id, status) VALUES (1, ?, ?, 'SUCCESS')`);
    for (let id = 100; id < 100 + N; id++) {
      order.run(id, String(id).padStart(10, "0"), JSON.stringify([{ tipo_producao: "painel" }, { tipo_producao: "lona" }]));
      image.run(id);
      log.run(id, id * 1000 + 1);
    }
    raw.exec("COMMIT");
    raw.close();
    s = await startTestServer({ dir, env: LEGACY_ADMIN });
    expect(rows("SELECT COUNT(*) AS n FROM pedido_itens WHERE pedido_id >= 100")[0].n).toBe(2 * N);
    const linkedImages = rows(`SELECT COUNT(*) AS n FROM pedido_imagens g JOIN pedido_itens i ON i.id = g.item_id
      WHERE g.pedido_id >= 100 AND i.pedido_id = g.pedido_id AND i.posicao = 1`)[0].n;
    expect(linkedImages).toBe(N);
    const linkedLogs = rows(
      `SELECT COUNT(*) AS n FROM print_logs l JOIN pedido_itens i ON i.id = l.item_id WHERE l.pedido_id >= 100 AND i.legacy_id = l.pedido_id * 1000 + 1`,
    )[0].n;
    expect(linkedLogs).toBe(N);
  });
});

describe("the SQL helper binds every Param it declares", () => {
  // libsql reads a lone object argument as named parameters (a lone null throws, a lone Uint8Array aborts the
  // process) and aborts the process on any boolean.
  it("a single null, a single byte array and booleans, through read and write", async () => {
    const deps = openTestDeps();
    try {
      expect(await deps.db.read((q) => q.get("SELECT ? IS NULL AS v", null))).toEqual({ v: 1 });
      expect(await deps.db.read((q) => q.all("SELECT length(?) AS n", new Uint8Array(3)))).toEqual([{ n: 3 }]);
      expect(await deps.db.read((q) => q.get("SELECT ? AS t, ? AS f", true, false))).toEqual({ t: 1, f: 0 });
      const id = await deps.db.write((tx) => tx.run("INSERT INTO sequences (name, value) VALUES ('review', ?)", true).lastInsertRowid);
      expect(id).toBeGreaterThan(0);
      expect(await deps.db.read((q) => q.get("SELECT value FROM sequences WHERE name = 'review'"))).toEqual({ value: 1 });
    } finally {
      deps.dispose();
    }
  });
});

describe("write transactions", () => {
  it("a write that fills the disk fails as 507 with nothing published, not as libsql's 'cannot rollback'", async () => {
    const deps = openTestDeps();
    const published: unknown[] = [];
    deps.db.onCommit((events) => published.push(...events));
    const pages = (deps.db.raw.prepare("PRAGMA page_count").get() as { page_count: number }).page_count;
    try {
      // A full disk, as SQLite sees it; SQLite rolls the transaction back by itself on SQLITE_FULL.
      deps.db.raw.exec(`PRAGMA max_page_count = ${pages + 2}`);
      const write = deps.db.write((tx) => {
        tx.emit({ type: "order_updated", orderId: 1, payload: {} });
        tx.run("INSERT INTO sequences (name, value) VALUES (?, 1)", "x".repeat(2_000_000));
      });
      await expect(write).rejects.toMatchObject({ status: 507, detail: expect.stringMatching(/Espaço em disco insuficiente/) });
      expect(published).toEqual([]);
      deps.db.raw.exec("PRAGMA max_page_count = 1073741823");
      // The connection is usable afterwards.
      await deps.db.write((tx) => tx.emit({ type: "order_updated", orderId: 1, payload: {} }));
      expect(published).toHaveLength(1);
    } finally {
      deps.dispose();
    }
  });
});

describe("bad input is a 4xx, never a 500", () => {
  it("JSON nested beyond any real order is a 422, not a stack overflow", async () => {
    s = await startTestServer();
    const deep = "[".repeat(20_000) + "]".repeat(20_000);
    const raw = `{"cliente":"A","data_entrada":"2025-01-01","items":[{"tipo_producao":"painel","extra":${deep}}]}`;
    const r = await s.request("POST", "/pedidos/", { raw, token: s.adminToken, headers: { "content-type": "application/json" } });
    expect(r.status).toBe(422);
    expect(r.body.detail[0]).toMatchObject({ loc: ["body"], type: "json_invalid" });
    expect((await s.request("GET", "/pedidos/", { token: s.adminToken })).body).toEqual([]);
  });
});

describe("legacy timestamps", () => {
  it("epoch seconds kept as text (the original's user timestamps are TEXT) become ISO; garbage numbers do not throw", () => {
    expect(toIsoUtc("1700000000")).toBe("2023-11-14T22:13:20.000Z");
    expect(toIsoUtc("1700000000.5")).toBe("2023-11-14T22:13:20.500Z");
    expect(toIsoUtc(1e20)).toBe("100000000000000000000");
    expect(toIsoUtc(Number.NaN)).toBe(null);
  });
});

describe("DATABASE_URL", () => {
  it("a file: URL is decoded as a URL (percent-escapes, query string)", () => {
    const env = { NODE_ENV: "test", SECRET_KEY: "review-secret-key-with-enough-length-0123456789" };
    expect(loadConfig({ ...env, DATABASE_URL: "file:///srv/dados%20sgp/Jo%C3%A3o/banco.db" }, "/tmp").databasePath).toBe(
      "/srv/dados sgp/João/banco.db",
    );
    expect(loadConfig({ ...env, DATABASE_URL: "file:///srv/sgp/banco.db?mode=rwc" }, "/tmp").databasePath).toBe("/srv/sgp/banco.db");
    // The forms that already worked keep working.
    expect(loadConfig({ ...env, DATABASE_URL: "file:./data/sgp.db" }, "/tmp").databasePath).toBe("/tmp/data/sgp.db");
    expect(loadConfig({ ...env, DATABASE_URL: "sqlite:///./banco.db" }, "/tmp").databasePath).toBe("/tmp/banco.db");
    expect(loadConfig({ ...env, DATABASE_URL: "sqlite:////srv/banco.db" }, "/tmp").databasePath).toBe("/srv/banco.db");
  });
});
