// DATABASE_URL=http://… (libsql://, https://): a remote libSQL primary (here a real sqld on loopback) served through
// an embedded replica. Every write lands on the primary; two servers sharing it see each other's commits.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { MIGRATIONS } from "../lib/db/migrations/index.ts";
import { startSqld, type TestSqld } from "./helpers/sqld.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { sleep, wsConnect } from "./helpers/ws.ts";
import { envFor, runSgpHere } from "./ops-fixtures.ts";

let primary: TestSqld;
let a: TestServer;
let b: TestServer;
const remoteEnv = () => ({ DATABASE_URL: primary.url, DATABASE_SYNC_INTERVAL_MS: "100" });
const order = (extra: Record<string, unknown> = {}) => ({
  cliente: "Gráfica Remota",
  data_entrada: "2026-11-20",
  items: [{ item_name: "Banner", quantity: 2, unit_price: 50, tipo_producao: "banner" }],
  ...extra,
});

/** Retries `read` until `ok` holds (bounded): another server's commit reaches a replica within its sync interval. */
async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > deadline) return v;
    await sleep(50);
  }
}

beforeAll(async () => {
  primary = await startSqld();
  a = await startTestServer({ env: remoteEnv() });
  b = await startTestServer({ env: remoteEnv() });
}, 60_000);
afterAll(async () => {
  await b?.stop();
  await a?.stop();
  await primary?.stop();
});

describe("a remote libSQL primary", () => {
  it("is migrated on the primary itself; the local file is only the replica", async () => {
    const applied = await primary.query<{ n: number }>("SELECT COUNT(*) AS n FROM schema_migrations");
    expect(applied[0].n).toBe(MIGRATIONS.length);
    expect(a.deps.db.remote).toBe(true);
    expect(a.deps.db.path).toBe(join(a.dir, "data", `replica-127.0.0.1_${new URL(primary.url).port}.db`));
    expect(existsSync(join(a.dir, "sgp.db"))).toBe(false);
    // One admin, created once: the second server found it on the primary.
    expect((await primary.query(`SELECT username FROM "user"`)).map((u) => u.username)).toEqual(["admin"]);
    const health = await a.request("GET", "/health");
    expect(health.status).toBe(200);
  });

  it("writes land on the primary, read back at once on the writer; a refused write leaves nothing", async () => {
    const created = await a.request("POST", "/pedidos/", { token: a.adminToken, body: order() });
    expect(created.status).toBe(200);
    expect(created.body.valor_total).toBe("100.00");
    const onPrimary = await primary.query<{ numero: string; cliente: string }>("SELECT numero, cliente FROM pedidos WHERE id = ?", [
      created.body.id,
    ]);
    expect(onPrimary).toEqual([{ numero: created.body.numero, cliente: "Gráfica Remota" }]);
    // Read-your-writes: the writer's replica has it before the response.
    expect((await a.request("GET", `/pedidos/${created.body.id}`, { token: a.adminToken })).body.numero).toBe(created.body.numero);

    const events = async () => (await primary.query<{ n: number }>("SELECT COUNT(*) AS n FROM event_log"))[0].n;
    const before = await events();
    const dup = await a.request("POST", "/pedidos/", { token: a.adminToken, body: order({ numero: created.body.numero }) });
    expect(dup.status).toBe(409);
    expect(dup.body.detail).toBe("Já existe um pedido com este numero.");
    const bad = await a.request("POST", "/pedidos/", { token: a.adminToken, body: order({ items: [{ item_name: "X", quantity: -1 }] }) });
    expect(bad.status).toBe(422);
    expect(await events()).toBe(before);

    const patched = await a.request("PATCH", `/pedidos/${created.body.id}`, {
      token: a.adminToken,
      body: { status: "em_producao", observacao: "remoto" },
    });
    expect(patched.status).toBe(200);
    expect(await primary.query("SELECT status, observacao FROM pedidos WHERE id = ?", [created.body.id])).toEqual([
      { status: "em_producao", observacao: "remoto" },
    ]);
  });

  it("two servers on one primary: numbers never collide, each reads and hears the other's writes", async () => {
    const ws = await wsConnect(`${b.wsUrl}/ws/orders?token=${encodeURIComponent(b.adminToken)}`);
    try {
      // Interleaved and simultaneous creates on both: the primary serializes the write transactions.
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          (i % 2 ? a : b).request("POST", "/pedidos/", { token: (i % 2 ? a : b).adminToken, body: order({ cliente: `Cliente ${i}` }) }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(Array(12).fill(200));
      const numeros = results.map((r) => r.body.numero);
      expect(new Set(numeros).size).toBe(12);

      const fromA = results[1].body;
      const seen = await eventually(
        () => b.request("GET", `/pedidos/${fromA.id}`, { token: b.adminToken }),
        (r) => r.status === 200,
      );
      expect(seen.body.numero).toBe(fromA.numero);
      // B's socket hears A's commit from the event log.
      const heard = await ws.next((m) => m.type === "order_created" && m.order_id === fromA.id, 5000);
      expect(heard.order_id).toBe(fromA.id);

      const list = await eventually(
        () => b.request("GET", "/pedidos/?limit=100", { token: b.adminToken }),
        (r) => r.body.length >= 13,
      );
      expect(list.body.map((o: { numero: string }) => o.numero)).toEqual(expect.arrayContaining(numeros));
    } finally {
      ws.close();
    }
  });

  it("a restart on the same replica resumes: nothing migrated twice, data kept", async () => {
    const count = (await primary.query<{ n: number }>("SELECT COUNT(*) AS n FROM pedidos"))[0].n;
    await a.close(2_000);
    const again = await startTestServer({ env: remoteEnv(), dir: a.dir });
    try {
      expect((await primary.query<{ n: number }>("SELECT COUNT(*) AS n FROM schema_migrations"))[0].n).toBe(MIGRATIONS.length);
      const list = await again.request("GET", "/pedidos/?limit=100", { token: again.adminToken });
      expect(list.body.length).toBe(count);
    } finally {
      await again.stop();
    }
  });

  it("the commands: migrate --status reads the primary; backup, restore, check and import are the primary's job", async () => {
    const env = envFor(a.dir, { DATABASE_URL: primary.url, LOG_LEVEL: "silent" });
    const status = await runSgpHere(["migrate", "--status"], env, a.dir);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`banco: ${primary.url}`);
    expect(status.stdout).toContain("nada pendente");
    for (const args of [["backup"], ["restore", join(a.dir, "x.db")], ["check"], ["import-legacy", join(a.dir, "x.db")]]) {
      const r = await runSgpHere(args, env, a.dir);
      expect(r.code, args[0]).toBe(2);
      expect(r.stderr, args[0]).toContain("o banco é remoto");
    }
    // Scheduled backups of a remote database are refused at start, with the setting named.
    const scheduled = await runSgpHere(["migrate", "--status"], { ...env, BACKUP_EVERY: "24h" }, a.dir);
    expect(scheduled.code).not.toBe(0);
    expect(scheduled.stderr).toContain("BACKUP_EVERY");
  });
});
