// `--workers 2`: two real processes (node:cluster) on one port and one database file. Every socket, whichever
// process holds it, receives every commit, whichever process made it, in log order; numbers never collide.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { wsConnect, type WsClient } from "./helpers/ws.ts";

let dir: string;
let child: ChildProcess;
let base = "";
let out = "";

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sgp-cluster-"));
  const port = await freePort();
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
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const deadline = Date.now() + 30_000;
  while ((out.match(/SGP listening/g) ?? []).length < 2) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`cluster did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
  }
  rmSync(dir, { recursive: true, force: true });
});

describe("several processes on one database", () => {
  it("spreads connections over both workers and delivers every commit to every socket, in order", async () => {
    const login = await fetch(`${base}/auth/login`, {
      method: "POST",
      body: JSON.stringify({ username: "admin", password: "admin-pass-123" }),
    });
    const token = (await login.json()).session_token as string;
    const clients: WsClient[] = [];
    for (let i = 0; i < 6; i++) clients.push(await wsConnect(`${base.replace("http", "ws")}/ws/orders?token=${token}`));
    const creates = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        fetch(`${base}/pedidos/`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json", connection: "close" },
          body: JSON.stringify({
            cliente: `Cliente ${i}`,
            data_entrada: "2026-11-29",
            items: [{ tipo_producao: "lona", descricao: "x", valor_unitario: "10.00", quantidade_lona: "1" }],
          }),
        }).then((r) => r.json()),
      ),
    );
    const numeros = creates.map((o) => o.numero);
    expect(new Set(numeros).size).toBe(20);
    const ids = creates.map((o) => o.id).sort((a, b) => a - b);
    for (const c of clients) {
      const got = await c.waitFor((m) => m.type === "order_created", 20, 15_000);
      const eventIds = got.map((m) => m.event_id);
      expect([...eventIds].sort((a, b) => a - b)).toEqual(eventIds);
      expect(got.map((m) => m.order_id).sort((a, b) => a - b)).toEqual(ids);
      c.close();
    }
    const pids = new Set([...out.matchAll(/"pid":(\d+),[^\n]*SGP listening/g)].map((m) => m[1]));
    expect(pids.size).toBe(2);
  });

  it("stops every worker on SIGTERM", async () => {
    const exited = new Promise<number | null>((r) => child.once("exit", (c) => r(c)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect((out.match(/SGP stopped/g) ?? []).length).toBe(2);
  });
});
