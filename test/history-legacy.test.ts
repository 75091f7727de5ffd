// History of orders that did not start on this server: a database taken over from the original (migration 012
// logs a `migrated` baseline), orders imported later (a synthesized `migrated` entry), and events logged before
// migration 012 (grouped into writes once).
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLegacyDatabase } from "./fixtures/legacy-db.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { openDatabase } from "../lib/db/connection.ts";
import { migrate } from "../lib/db/migrate.ts";
import { MIGRATIONS } from "../lib/db/migrations/index.ts";
import { createLogger } from "../lib/log.ts";
import { logMigratedBaselines } from "../lib/history/baseline.ts";

const LEGACY_ADMIN = { SGP_ADMIN_USER: "admin", SGP_ADMIN_PASSWORD: "senha-antiga-1" };
const dirs: string[] = [];
let s: TestServer | null = null;

const newDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "sgp-history-"));
  dirs.push(dir);
  return dir;
};
const history = async (id: number, token = s!.adminToken) => {
  const r = await s!.request("GET", `/pedidos/${id}/historico`, { token });
  expect(r.status, r.text).toBe(200);
  return r.body as any[];
};

afterEach(async () => {
  await s?.stop();
  s = null;
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("history of migrated orders", () => {
  it("a taken-over order starts with one `migrated` entry (the order as migrated), and later writes diff against it", async () => {
    const dir = newDir();
    createLegacyDatabase(join(dir, "sgp.db"));
    s = await startTestServer({ dir, env: LEGACY_ADMIN });
    const baselines = s.deps.db.raw
      .prepare("SELECT order_id, actor_id FROM event_log WHERE type = 'migrated' ORDER BY order_id")
      .all() as any[];
    expect(baselines).toEqual([1, 2, 3, 4, 5].map((order_id) => ({ order_id, actor_id: null })));

    const h = await history(1);
    expect(h).toHaveLength(1);
    expect(h[0]).toMatchObject({ type: "migrated", user_id: null, username: null });
    expect(h[0].event_id).toBeGreaterThan(0);
    const fields = Object.fromEntries(h[0].changes.map((c: any) => [c.field, c.to]));
    expect(fields).toMatchObject({
      numero: "0000000007",
      cliente: "João Ávila",
      valor_total: "1234.56",
      status: "em_producao",
      cidade_cliente: "Vitória",
      estado_cliente: "ES",
    });

    const r = await s.request("PATCH", "/pedidos/1", { token: s.adminToken, body: { cliente: "João Ávila Ltda", conferencia: true } });
    expect(r.status, r.text).toBe(200);
    const after = await history(1);
    expect(after.map((e) => e.type)).toEqual(["migrated", "order_status_updated"]);
    // The legacy totals were kept as written at migration; the first write recomputes them from the items, and
    // the history shows it.
    expect(after[1].changes).toEqual([
      { field: "cliente", from: "João Ávila", to: "João Ávila Ltda" },
      { field: "valor_total", from: "1234.56", to: "215.00" },
      { field: "valor_itens", from: "1219.56", to: "200.00" },
      { field: "conferencia", from: false, to: true },
    ]);

    // A restart applies nothing twice.
    await s.stop();
    s = await startTestServer({ dir, env: LEGACY_ADMIN });
    expect((s.deps.db.raw.prepare("SELECT COUNT(*) AS n FROM event_log WHERE type = 'migrated'").get() as any).n).toBe(5);
  });

  it("an order with no event at all (imported after migration 012) gets a synthesized entry, until its baseline is logged", async () => {
    s = await startTestServer({ dir: newDir() });
    const id = s.deps.db.raw
      .prepare(
        `INSERT INTO pedidos (numero, data_entrada, cliente, status, valor_total_cents, data_criacao) VALUES ('0000000900', '2025-01-02', 'Importado', 'pendente', 1250, '2025-01-02T10:00:00.000Z')`,
      )
      .run().lastInsertRowid as number;
    const synthesized = await history(Number(id));
    expect(synthesized).toEqual([
      {
        event_id: 0,
        type: "migrated",
        at: "2025-01-02T10:00:00.000Z",
        user_id: null,
        username: null,
        changes: expect.arrayContaining([
          { field: "cliente", from: null, to: "Importado" },
          { field: "valor_total", from: null, to: "12.50" },
        ]),
      },
    ]);
    // What an importer calls in its transaction: the baseline becomes a real event, with the same content.
    expect(s.deps.db.writeSync((tx) => logMigratedBaselines(tx))).toBe(1);
    const logged = await history(Number(id));
    expect(logged[0].event_id).toBeGreaterThan(0);
    expect({ ...logged[0], event_id: 0, at: "" }).toEqual({ ...synthesized[0], at: "" });
    expect(s.deps.db.writeSync((tx) => logMigratedBaselines(tx))).toBe(0);
  });

  it("events logged before migration 012 are grouped into their writes once", async () => {
    const dir = newDir();
    const path = join(dir, "sgp.db");
    const db = openDatabase(path);
    migrate(
      db,
      createLogger("silent"),
      MIGRATIONS.filter((m) => m.id < 12),
    );
    const order = (status: string, conferencia: boolean, cliente: string) => ({
      id: 1,
      numero: "0000000001",
      cliente,
      status,
      conferencia,
      items: [],
    });
    const ev = db.raw.prepare(
      "INSERT INTO event_log (type, order_id, payload, actor_id, actor_name, created_at) VALUES (?, 1, ?, 7, 'bia', ?)",
    );
    db.raw
      .prepare(
        `INSERT INTO pedidos (id, numero, data_entrada, cliente, data_criacao) VALUES (1, '0000000001', '2026-01-01', 'Bia', '2026-01-01T00:00:00.000Z')`,
      )
      .run();
    const payload = (type: string, o: unknown) => JSON.stringify({ type, order: o, order_id: 1 });
    ev.run("order_created", payload("order_created", order("pendente", false, "Bia")), "2026-01-01T00:00:00.000Z");
    ev.run("order_updated", payload("order_updated", order("em_producao", true, "Bia")), "2026-01-01T00:01:00.000Z");
    ev.run("order_status_updated", payload("order_status_updated", order("em_producao", true, "Bia")), "2026-01-01T00:01:00.001Z");
    ev.run("order_updated", payload("order_updated", order("em_producao", true, "Bia S.A.")), "2026-01-01T00:02:00.000Z");
    db.close();

    s = await startTestServer({ dir });
    const h = await history(1);
    expect(h.map((e) => [e.type, e.username])).toEqual([
      ["order_created", "bia"],
      ["order_status_updated", "bia"],
      ["order_updated", "bia"],
    ]);
    expect(h[1].changes).toEqual([
      { field: "status", from: "pendente", to: "em_producao" },
      { field: "conferencia", from: false, to: true },
    ]);
    expect(h[2].changes).toEqual([{ field: "cliente", from: "Bia", to: "Bia S.A." }]);
    // Written after the migration: the second event of a write names the first.
    const r = await s.request("PATCH", "/pedidos/1", { token: s.adminToken, body: { costura: true } });
    expect(r.status, r.text).toBe(200);
    const rows = s.deps.db.raw
      .prepare("SELECT id, type, write_id FROM event_log WHERE order_id = 1 ORDER BY id DESC LIMIT 2")
      .all() as any[];
    expect(rows[0]).toMatchObject({ type: "order_status_updated", write_id: rows[1].id });
    expect(rows[1]).toMatchObject({ type: "order_updated", write_id: null });
  });
});
