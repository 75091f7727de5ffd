// Two server processes' worth of servers on ONE database file, hubs in `log` mode (a `--workers` setup):
// each delivers every commit, its own and the other's, in log order, once.
import { afterAll, beforeAll, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../lib/config.ts";
import { createLogger } from "../lib/log.ts";
import { startServer, type RunningServer } from "../runtime/server.ts";
import { wsConnect } from "./helpers/ws.ts";

let dir: string;
let a: RunningServer;
let b: RunningServer;
let token: string;

const start = () => {
  const config = loadConfig(
    {
      NODE_ENV: "test",
      PORT: "0",
      HOST: "127.0.0.1",
      DATABASE_URL: `file:${join(dir, "sgp.db")}`,
      MEDIA_ROOT: join(dir, "media"),
      SECRET_KEY: "test-secret-key-with-enough-length-0123456789",
      SGP_ADMIN_USER: "admin",
      SGP_ADMIN_PASSWORD: "admin-pass-123",
      LOG_LEVEL: "silent",
    },
    dir,
  );
  return startServer(config, { log: createLogger("silent"), realtime: { source: "log", tailIntervalMs: 20 } });
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sgp-workers-"));
  a = await start();
  b = await start();
  const r = await fetch(`${a.url}/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: "admin-pass-123" }),
  });
  token = (await r.json()).session_token;
});
afterAll(async () => {
  await a.close(2_000);
  await b.close(2_000);
  rmSync(dir, { recursive: true, force: true });
});

it("clients of either server get every commit of both, in log order, exactly once", async () => {
  const onA = await wsConnect(`${a.url.replace(/^http/, "ws")}/ws/orders?token=${token}`);
  const onB = await wsConnect(`${b.url.replace(/^http/, "ws")}/ws/orders?token=${token}`);
  await Promise.all([onA.next(), onB.next()]);
  const ids: number[] = [];
  for (let i = 0; i < 40; i++) {
    const server = i % 3 === 0 ? b : a;
    ids.push(
      await server.deps.db.write(
        (tx) => tx.emit({ type: "order_updated", orderId: i, payload: { type: "order_updated", order_id: i }, actor: null }).id,
      ),
    );
  }
  for (const c of [onA, onB]) {
    const got = await c.waitFor((m) => m.type === "order_updated", 40, 5_000);
    expect(got.map((m) => m.event_id)).toEqual(ids);
  }
  await new Promise((r) => setTimeout(r, 100));
  for (const c of [onA, onB]) expect(c.messages.filter((m) => m.type === "order_updated")).toHaveLength(40);
  onA.close();
  onB.close();
});

it("shutdown in log mode publishes what was committed before closing the sockets with 1001", async () => {
  const c = await wsConnect(`${a.url.replace(/^http/, "ws")}/ws/orders?token=${token}`);
  await c.next();
  const id = await a.deps.db.write(
    (tx) => tx.emit({ type: "order_deleted", orderId: 9, payload: { type: "order_deleted", order_id: 9 }, actor: null }).id,
  );
  await a.close(2_000);
  expect(await c.closed).toMatchObject({ code: 1001 });
  expect(c.messages.at(-1)).toEqual({ type: "order_deleted", order_id: 9, event_id: id });
});
