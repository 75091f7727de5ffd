// Backups while the server writes, `sgp check` of the copy, and `sgp restore` bringing it back; scheduled backups
// in a child process, BACKUP_KEEP, and what /health says about them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../lib/config.ts";
import { createLogger } from "../lib/log.ts";
import { openRaw } from "../lib/ops/sqlite.ts";
import { startServer, type RunningServer, type StartOptions } from "../runtime/server.ts";
import { envFor, runSgp, runSgpHere, tempDir } from "./ops-fixtures.ts";

const ADMIN = { username: "admin", password: "admin-pass-123" };
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function start(dir: string, extra: Record<string, string> = {}, schedule: StartOptions["schedule"] = false): Promise<RunningServer> {
  const config = loadConfig({ ...envFor(dir), SGP_ADMIN_PASSWORD: ADMIN.password, PORT: "0", HOST: "127.0.0.1", ...extra }, dir);
  return startServer(config, { log: createLogger("silent"), schedule });
}
async function tokenOf(s: RunningServer): Promise<string> {
  const r = await fetch(`${s.url}/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(ADMIN),
  });
  return ((await r.json()) as { session_token: string }).session_token;
}
const createOrder = (s: RunningServer, token: string, i: number) =>
  fetch(`${s.url}/pedidos/`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({
      cliente: `Backup ${i}`,
      data_entrada: "2026-12-01",
      items: [{ tipo_producao: "totem", valor_unitario: "10", quantidade_totem: "1", descricao: "x".repeat(200) }],
    }),
  });
const orderIds = (file: string): Set<number> => {
  const db = openRaw(file, { readonly: true });
  try {
    return new Set(db.q.all<{ id: number }>("SELECT id FROM pedidos").map((r) => r.id));
  } finally {
    db.close();
  }
};

describe("sgp backup during 500 creates, sgp check of the copy, sgp restore", () => {
  let dir: string;
  let server: RunningServer;
  let backupFile: string;
  let ackedBefore: number[] = [];
  let createdTotal = 0;

  beforeAll(async () => {
    dir = tempDir("ops-backup");
    dirs.push(dir);
    server = await start(dir);
  });
  afterAll(async () => server?.close(2_000));

  it("the copy opens, passes check, and holds every order acknowledged before the backup started", async () => {
    const token = await tokenOf(server);
    const acked: number[] = [];
    let backup: Promise<Awaited<ReturnType<typeof runSgp>>> | null = null;
    let backupDone = false;
    backupFile = join(dir, "copia.db");
    let next = 0;
    // 10 writers in flight; the backup starts after 150 acknowledgements and the writers keep going until both the
    // 500 creates and the backup are done, so the copy is taken while the server writes.
    const writer = async () => {
      while (next < 500 || (!backupDone && next < 3_000)) {
        const i = next++;
        const r = await createOrder(server, token, i);
        expect(r.status).toBe(200);
        acked.push(((await r.json()) as { id: number }).id);
        if (acked.length === 150 && !backup) {
          ackedBefore = [...acked];
          backup = runSgp(["backup", "--out", backupFile], { env: envFor(dir) }).finally(() => (backupDone = true));
        }
      }
    };
    await Promise.all(Array.from({ length: 10 }, writer));
    const r = await backup!;
    createdTotal = acked.length;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`backup: ${backupFile}`);
    expect(createdTotal).toBeGreaterThanOrEqual(500);

    const inBackup = orderIds(backupFile);
    for (const id of ackedBefore) expect(inBackup.has(id), `order ${id} acknowledged before the backup`).toBe(true);
    expect(inBackup.size).toBeLessThanOrEqual(createdTotal);
    // The copy is one self-contained file (no -wal of its own), and the run is in the live database's history.
    expect(existsSync(`${backupFile}-wal`)).toBe(false);
    const runs = server.deps.db.raw.prepare("SELECT ok, trigger, file FROM backup_runs").all() as {
      ok: number;
      trigger: string;
      file: string;
    }[];
    expect(runs).toEqual([{ ok: 1, trigger: "cli", file: backupFile }]);

    const check = await runSgpHere(["check", backupFile], envFor(dir), dir);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toContain("resultado: ok");
    expect(check.stdout).toContain(`${inBackup.size} pedido(s)`);
  });

  it("restore refuses while the server runs on the database, then brings the backup's orders back", async () => {
    const refused = await runSgp(["restore", backupFile], { env: envFor(dir) });
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toMatch(/^sgp restore: um servidor SGP \(pid \d+, porta \d+\) está usando /);
    expect(orderIds(join(dir, "sgp.db")).size).toBe(createdTotal);

    await server.close(2_000);
    const r = await runSgp(["restore", backupFile], { env: envFor(dir) });
    expect(r.code, r.stderr).toBe(0);
    const kept = readdirSync(dir).find((f) => f.startsWith("sgp.db.replaced-"));
    expect(kept, readdirSync(dir).join(", ")).toBeDefined();
    // The replaced database is kept, complete (its WAL merged in): every order created, none lost.
    expect(orderIds(join(dir, kept!)).size).toBe(createdTotal);

    server = await start(dir);
    const token = await tokenOf(server);
    const inBackup = orderIds(backupFile);
    for (const id of [ackedBefore[0], ackedBefore[ackedBefore.length - 1]]) {
      const got = await fetch(`${server.url}/pedidos/${id}`, { headers: { authorization: `Bearer ${token}` } });
      expect(got.status).toBe(200);
    }
    const total = await fetch(`${server.url}/pedidos/total`, { headers: { authorization: `Bearer ${token}` } });
    expect(JSON.stringify(await total.json())).toContain(String(inBackup.size));
  });

  it("restore refuses a file that is not a sound SGP database", async () => {
    await server.close(2_000);
    const junk = join(dir, "lixo.db");
    writeFileSync(junk, "isto não é um banco");
    const r = await runSgpHere(["restore", junk], envFor(dir), dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("não é um banco SQLite");
    server = await start(dir);
  });
});

describe("scheduled backups", () => {
  it("the helper process is spawned again after it died", async () => {
    const dir = tempDir("ops-helper");
    dirs.push(dir);
    const s = await start(dir);
    const { helperProcessBackup } = await import("../lib/ops/schedule.ts");
    const helper = helperProcessBackup({ cwd: process.cwd() });
    const job = { source: join(dir, "sgp.db"), dir: join(dir, "backups"), keep: 5, secretFile: null };
    try {
      helper.prepare();
      const first = helper.pid();
      expect(first).toBeGreaterThan(0);
      expect(existsSync((await helper.run(job)).file)).toBe(true);
      process.kill(first!, "SIGKILL");
      for (let i = 0; i < 100 && helper.pid() !== null; i++) await new Promise((r) => setTimeout(r, 20));
      const again = await helper.run(job);
      expect(existsSync(again.file)).toBe(true);
      expect(helper.pid()).not.toBe(first);
    } finally {
      helper.stop();
      await s.close(1_000);
    }
  });

  it("run in a child process, keep BACKUP_KEEP, carry the key file, and /health reports them", async () => {
    const dir = tempDir("ops-sched");
    dirs.push(dir);
    // No SECRET_KEY: the generated key file is the secret, and it travels beside each backup.
    const env = { ...envFor(dir), SECRET_KEY: "", BACKUP_EVERY: "1h", BACKUP_KEEP: "2" };
    const config = loadConfig({ ...env, SGP_ADMIN_PASSWORD: ADMIN.password, PORT: "0", HOST: "127.0.0.1" }, dir);
    expect(config.secretKeyFile).toBe(join(dir, "secret.key"));
    const s = await startServer(config, { log: createLogger("silent"), schedule: { firstBackupDelayMs: 100 } });
    try {
      let health: any = null;
      for (let i = 0; i < 300; i++) {
        health = await (await fetch(`${s.url}/health`)).json();
        if (health.backup.last) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(health.backup.last, JSON.stringify(health)).toMatchObject({ ok: true, trigger: "schedule", error: null });
      expect(health.checks.backup).toBe("ok");
      expect(health.status).toBe("ok");
      expect(health.backup.age_seconds).toBeLessThan(60);
      expect(await s.schedules!.nextBackupAt()).toBeGreaterThan(Date.now() + 50 * 60_000);

      await s.schedules!.backupNow();
      const third = await s.schedules!.backupNow();
      const files = readdirSync(join(dir, "backups")).sort();
      expect(files.filter((f) => f.endsWith(".db"))).toHaveLength(2);
      // The newest is kept, even when two share a second (`sgp-<stamp>-1.db`).
      expect(files).toContain(third.file!.split("/").pop());
      for (const f of files.filter((x) => x.endsWith(".db"))) {
        expect(readFileSync(join(dir, "backups", `${f}.secret.key`), "utf8")).toBe(readFileSync(config.secretKeyFile!, "utf8"));
      }
      expect(files.some((f) => f.includes(".partial-"))).toBe(false);
    } finally {
      await s.close(2_000);
    }
  });

  it("a failing backup is recorded: /health says degraded (still 200) with the error", async () => {
    const dir = tempDir("ops-sched-fail");
    dirs.push(dir);
    writeFileSync(join(dir, "um-arquivo"), "x");
    const s = await start(dir, { BACKUP_EVERY: "1h", BACKUP_DIR: join(dir, "um-arquivo", "backups") });
    try {
      const s2 = s.schedules ?? null;
      expect(s2).toBeNull(); // schedule: false in start(); take one through a scheduler of its own
      const { startSchedules } = await import("../lib/ops/schedule.ts");
      const sched = startSchedules({ db: s.deps.db, log: createLogger("silent"), config: s.deps.config, firstBackupDelayMs: 60_000 });
      const run = await sched.backupNow();
      await sched.stop();
      expect(run.ok).toBe(false);
      const res = await fetch(`${s.url}/health`);
      expect(res.status).toBe(200);
      const h = (await res.json()) as any;
      expect(h.status).toBe("degraded");
      expect(h.checks.backup).toBe("failed");
      expect(h.backup.last.error).toMatch(/\S/);
    } finally {
      await s.close(2_000);
    }
  });
});
