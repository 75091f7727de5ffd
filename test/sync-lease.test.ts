// One process delivers (`--workers N`): the lease row. Two workers on one database file never both deliver; a clean
// stop hands the lease over at once; a holder killed with SIGKILL is taken over when its lease expires.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "libsql";
import { loadConfig } from "../lib/config.ts";
import { createLogger } from "../lib/log.ts";
import type { Deps } from "../lib/function.ts";
import { openDeps } from "../runtime/server.ts";
import { startSync, type SyncService } from "../lib/sync/index.ts";
import { startReceiver, type HttpReceiver } from "./helpers/http-receiver.ts";

let rx: HttpReceiver;
beforeAll(async () => {
  rx = await startReceiver();
});
afterAll(() => rx.close());

const SYNC_ENV = (url: string) => ({
  SYNC_HTTP_URL: url,
  SYNC_HTTP_TIMEOUT_MS: "300",
  SYNC_BACKOFF_BASE_MS: "20",
  SYNC_BACKOFF_MAX_MS: "200",
  SYNC_POLL_INTERVAL_MS: "50",
  SYNC_LEASE_MS: "1500",
});

/** An order event as the order writes emit it (the push reads `order.*` from the payload). */
const emitOrder = (deps: Deps, id: number, cliente: string) =>
  deps.db.write(
    (tx) =>
      tx.emit({
        type: "order_created",
        orderId: id,
        actor: null,
        payload: {
          type: "order_created",
          order_id: id,
          order: {
            id,
            numero: String(id).padStart(10, "0"),
            cliente,
            status: "pendente",
            valor_total: "1.00",
            ultima_atualizacao: new Date().toISOString(),
            rascunho: false,
          },
        },
      }).id,
  );

describe("two workers on one database file", () => {
  let dir: string;
  const opened: (Deps & { sync?: SyncService })[] = [];
  const open = (holderId: string) => {
    const config = loadConfig(
      {
        NODE_ENV: "test",
        DATABASE_URL: `file:${join(dir, "sgp.db")}`,
        MEDIA_ROOT: join(dir, "media"),
        SECRET_KEY: "lease-secret-key-with-enough-length-0123456789",
        SGP_ADMIN_PASSWORD: "admin-pass-123",
        ...SYNC_ENV(rx.url),
      },
      dir,
    );
    const deps: Deps & { sync?: SyncService } = openDeps(config, createLogger("silent"), []);
    deps.sync = startSync(deps, { holderId });
    opened.push(deps);
    return deps;
  };
  const holder = (deps: Deps) =>
    (deps.db.raw.prepare("SELECT holder, expires_at FROM sync_lease WHERE name = 'sync'").get() as any) ?? null;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "sgp-sync-lease-"));
  });
  afterAll(async () => {
    for (const d of opened) {
      await d.sync?.stop(1_000);
      d.db.close();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it("only the lease holder delivers; both processes' commits go out once each, in log order", async () => {
    const a = open("worker-a");
    const b = open("worker-b");
    expect(a.sync!.holdsLease()).toBe(true);
    expect(b.sync!.holdsLease()).toBe(false);
    const ids: number[] = [];
    for (let i = 1; i <= 30; i++) ids.push(await emitOrder(i % 2 ? a : b, 1000 + i, `Cliente ${i}`));
    await rx.waitFor((acked) => ids.every((id) => acked.some((e) => e.event_id === id)), 10_000, "every event");
    await new Promise((r) => setTimeout(r, 200)); // a second deliverer would show up as duplicates by now
    const got = rx.acked.filter((e) => e.pedido_id > 1000).map((e) => e.event_id);
    expect(got).toEqual(ids);
    expect(holder(a).holder).toBe("worker-a");
    expect(b.sync!.holdsLease()).toBe(false);
  });

  it("a clean stop releases the lease: the other worker delivers at once", async () => {
    const [a, b] = opened;
    await a.sync!.stop(1_000);
    expect(holder(b).expires_at).toBe(0);
    const id = await emitOrder(b, 2001, "Depois da parada");
    await rx.waitFor((acked) => acked.some((e) => e.event_id === id), 5_000, "the event after the hand-over");
    expect(b.sync!.holdsLease()).toBe(true);
    expect(holder(b).holder).toBe("worker-b");
  });
});

describe("--workers 2, the delivering worker killed with SIGKILL", () => {
  let dir: string;
  let child: ChildProcess;
  let out = "";
  let base = "";

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "sgp-sync-cluster-"));
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, "127.0.0.1", () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ["--import", "tsx", join(process.cwd(), "runtime/main.ts"), "--workers", "2"], {
      env: {
        ...process.env,
        DATABASE_URL: `file:${join(dir, "sgp.db")}`,
        MEDIA_ROOT: join(dir, "media"),
        PORT: String(port),
        HOST: "127.0.0.1",
        SECRET_KEY: "cluster-secret-key-with-enough-length-0123",
        SGP_ADMIN_PASSWORD: "admin-pass-123",
        LOG_LEVEL: "info",
        NODE_ENV: "test",
        ...SYNC_ENV(rx.url),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (out += d));
    const deadline = Date.now() + 40_000;
    while ((out.match(/SGP listening/g) ?? []).length < 2) {
      if (Date.now() > deadline || child.exitCode !== null) {
        if (child.exitCode === null) child.kill("SIGKILL");
        throw new Error(`cluster did not start:\n${out}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 60_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps delivering: the other worker takes the lease over when it expires", async () => {
    const login = await fetch(`${base}/auth/login`, {
      method: "POST",
      body: JSON.stringify({ username: "admin", password: "admin-pass-123" }),
    });
    const token = ((await login.json()) as any).session_token as string;
    const create = async (cliente: string) => {
      for (let attempt = 0; attempt < 50; attempt++) {
        try {
          const r = await fetch(`${base}/pedidos/`, {
            method: "POST",
            headers: { authorization: `Bearer ${token}`, "content-type": "application/json", connection: "close" },
            body: JSON.stringify({ cliente, data_entrada: "2026-11-29" }),
          });
          if (r.ok) return ((await r.json()) as any).id as number;
        } catch {
          // the worker that held this connection was killed: try again (the other one answers)
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error("create never succeeded");
    };
    const db = new Database(join(dir, "sgp.db"), { readonly: true });
    try {
      const lease = () =>
        db.prepare("SELECT holder, expires_at FROM sync_lease WHERE name = 'sync'").get() as
          | { holder: string; expires_at: number }
          | undefined;
      const first = await create("Antes da queda");
      await rx.waitFor((acked) => acked.some((e) => e.pedido_id === first), 10_000, "the first order");
      const before = lease()!;
      const pid = Number(before.holder.split(":")[1]);
      expect(Number.isInteger(pid) && pid !== child.pid).toBe(true);
      process.kill(pid, "SIGKILL");
      const during: number[] = [];
      for (let i = 0; i < 5; i++) during.push(await create(`Durante a troca ${i}`));
      await rx.waitFor((acked) => during.every((id) => acked.some((e) => e.pedido_id === id)), 20_000, "the orders after the kill");
      const after = lease()!;
      expect(after.holder).not.toBe(before.holder);
      expect(Number(after.holder.split(":")[1])).not.toBe(pid);
      const order = rx.acked.filter((e) => during.includes(e.pedido_id)).map((e) => e.pedido_id);
      expect([...new Set(order)]).toEqual(during);
      expect(out).toMatch(/worker died; starting another/);
    } finally {
      db.close();
    }
  }, 60_000);
});
