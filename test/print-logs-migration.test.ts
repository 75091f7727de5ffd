// A database written by our previous version (migrations 1–6 only, its print logs included, and a legacy `fichas`
// table that version left as it found it) keeps every print log, and has its fichas taken over, after migration 7.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../lib/db/connection.ts";
import { migrate } from "../lib/db/migrate.ts";
import { MIGRATIONS } from "../lib/db/migrations/index.ts";
import { createLogger } from "../lib/log.ts";
import { createLegacyDatabase, writeLegacyMedia } from "./fixtures/legacy-db.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";

let dir: string;
let s: TestServer;
let before: Record<string, unknown>[];
let orderId: number;
let machineId: number;

const ALL_LOGS = "SELECT id, printer_id, pedido_id, item_id, item_id_legado, status, error_message, created_at FROM print_logs ORDER BY id";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sgp-prev-version-"));
  const path = join(dir, "sgp.db");
  // The original's file, taken over by our previous version: it ran migrations 1–6 and wrote print logs.
  createLegacyDatabase(path);
  writeLegacyMedia(join(dir, "media"));
  const db = openDatabase(path);
  const report = migrate(
    db,
    createLogger("silent"),
    MIGRATIONS.filter((m) => m.id <= 6),
  );
  expect(report.applied.map((a) => a.split("_")[0])).toEqual(["1", "2", "3", "4", "5", "6"]);
  db.writeSync((tx) => {
    machineId = tx.run("INSERT INTO machines (name, active, created_at) VALUES ('Mimaki', 1, '2026-01-01T00:00:00.000Z')").lastInsertRowid;
    orderId = tx.run("INSERT INTO pedidos (numero, data_entrada, cliente) VALUES ('0000000100', '2026-01-02', 'Loja')").lastInsertRowid;
    const item = tx.run("INSERT INTO pedido_itens (pedido_id, posicao, data) VALUES (?, 0, '{}')", orderId).lastInsertRowid;
    const log = (printer: number | null, itemId: number | null, status: string, at: string, msg: string | null = null) =>
      tx.run(
        "INSERT INTO print_logs (printer_id, pedido_id, item_id, status, error_message, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        printer,
        orderId,
        itemId,
        status,
        msg,
        at,
      );
    log(machineId, null, "success", "2026-01-02T10:00:00.000Z");
    log(machineId, null, "reprint", "2026-01-02T11:00:00.000Z");
    log(machineId, item, "error", "2026-01-02T12:00:00.000Z", "sem tinta");
    log(null, null, "success", "2026-01-02T13:00:00.000Z");
  });
  expect(db.raw.prepare("SELECT 1 FROM sqlite_master WHERE name = 'ficha_templates'").get()).toBeTruthy();
  before = db.raw.prepare(ALL_LOGS).all() as Record<string, unknown>[];
  db.close();
  s = await startTestServer({ dir, env: { SGP_ADMIN_USER: "admin", SGP_ADMIN_PASSWORD: "senha-antiga-1" } });
});
afterAll(async () => {
  await s?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("migration 7 on a database of our previous version", () => {
  it("applies migration 7 once, after a backup", () => {
    const applied = s.deps.db.raw
      .prepare("SELECT id FROM schema_migrations ORDER BY id")
      .all()
      .map((r: any) => r.id);
    expect(applied).toEqual(MIGRATIONS.map((m) => m.id).sort((a, b) => a - b));
    expect(applied.filter((id: number) => id === 7)).toHaveLength(1);
    // One backup by the first takeover, one before migration 7.
    expect(readdirSync(dir).filter((f) => f.startsWith("sgp.db.backup-")).length).toBe(2);
  });

  it("keeps every print log, row for row", () => {
    expect(before.length).toBe(7); // the 3 legacy logs + the 4 written by the previous version
    expect(s.deps.db.raw.prepare(ALL_LOGS).all()).toEqual(before);
  });

  it("serves them, and the history keeps growing: stats count each print", async () => {
    const token = s.adminToken;
    const mine = (await s.request("GET", "/print-logs/?limit=2000", { token })).body.filter((l: any) => l.pedido_id === orderId);
    expect(mine.map((l: any) => [l.printer_name, l.status])).toEqual([
      ["Sem máquina", "success"],
      ["Mimaki", "error"],
      ["Mimaki", "reprint"],
      ["Mimaki", "success"],
    ]);
    const r = await s.request("POST", "/print-logs/", {
      token,
      body: { printer_id: machineId, pedido_id: orderId, item_id: null, status: "reprint" },
    });
    expect(r.status).toBe(201);
    expect((await s.request("GET", `/print-logs/stats/${machineId}`, { token })).body).toMatchObject({
      total_prints: 4,
      successful: 1,
      errors: 1,
      reprints: 2,
    });
  });

  it("takes over the legacy fichas that version had left as it found them", async () => {
    const two = (await s.request("GET", "/fichas/2", { token: s.adminToken })).body;
    expect(two).toMatchObject({ imagem_path: "fichas/2/a1b2c3.png", data_criacao: "2025-03-01T12:00:00.123Z" });
    expect((await fetch(s.url + two.imagem_url)).status).toBe(200);
    expect((await s.request("GET", "/fichas/templates", { token: s.adminToken })).body.geral.title).toBe("FICHA DA LOJA");
  });
});
