// Heartbeats and session sweeps with short intervals (defaults: 25 s app ping, 30 s protocol idle timeout,
// 10 s session sweep).
import { afterAll, beforeAll, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../lib/config.ts";
import { createLogger } from "../lib/log.ts";
import { startServer, type RunningServer } from "../runtime/server.ts";
import { sleep, wsConnect } from "./helpers/ws.ts";
import WebSocket from "ws";
import { TokenService } from "../lib/auth/tokens.ts";

let dir: string;
let server: RunningServer;
let token: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sgp-hb-"));
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
  server = await startServer(config, {
    log: createLogger("silent"),
    realtime: { idleTimeoutSec: 1, pingIntervalMs: 150, sweepIntervalMs: 100 },
  });
  const r = await fetch(`${server.url}/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: "admin-pass-123" }),
  });
  token = (await r.json()).session_token;
});
afterAll(async () => {
  await server.close(2_000);
  rmSync(dir, { recursive: true, force: true });
});

const wsUrl = () => `${server.url.replace(/^http/, "ws")}/ws/orders?token=${token}`;

it('sends {"type":"ping"} on a fixed interval', async () => {
  const c = await wsConnect(wsUrl());
  await c.waitFor((m) => m.type === "ping", 3, 3_000);
  expect(c.messages[0].type).toBe("connected");
  c.close();
});

it("drops a peer that stops answering protocol pings; one that answers stays", async () => {
  const mute = new WebSocket(wsUrl(), { autoPong: false, perMessageDeflate: false });
  const closed = new Promise<number>((r) => mute.on("close", (code) => r(code)));
  await new Promise((r) => mute.once("open", r));
  const alive = await wsConnect(wsUrl());
  const code = await Promise.race([closed, sleep(5_000).then(() => -1)]);
  expect(code).toBe(1006); // terminated: no close frame
  expect(alive.ws.readyState).toBe(WebSocket.OPEN);
  for (let i = 0; i < 100 && server.deps.stats.peers() !== 1; i++) await sleep(10);
  expect(server.deps.stats.peers()).toBe(1);
  alive.close();
});

it("closes a socket (1008) once its session ends: logout, or the token expires; others stay", async () => {
  const login = async () => {
    const r = await fetch(`${server.url}/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "admin", password: "admin-pass-123" }),
    });
    return (await r.json()).session_token as string;
  };
  const leaving = await login();
  const staying = await login();
  const short = (await new TokenService("test-secret-key-with-enough-length-0123456789", 2 / 60).sign({ id: 1, username: "admin" })).token;
  const a = await wsConnect(`${server.url.replace(/^http/, "ws")}/ws/orders?token=${leaving}`);
  const b = await wsConnect(`${server.url.replace(/^http/, "ws")}/ws/orders?token=${staying}`);
  const c = await wsConnect(`${server.url.replace(/^http/, "ws")}/ws/orders?token=${short}`);
  await Promise.all([a.next(), b.next(), c.next()]);
  const out = await fetch(`${server.url}/auth/logout`, { method: "POST", headers: { authorization: `Bearer ${leaving}` } });
  expect(out.status).toBeLessThan(300);
  expect(await Promise.race([a.closed, sleep(3_000).then(() => null)])).toMatchObject({ code: 1008 });
  expect(await Promise.race([c.closed, sleep(5_000).then(() => null)])).toMatchObject({ code: 1008 });
  expect(b.ws.readyState).toBe(WebSocket.OPEN);
  b.close();
});

it("a password change closes the user's other sockets (1008) and keeps the caller's own; an admin reset closes them all", async () => {
  const login = async (username: string, password: string) => {
    const r = await fetch(`${server.url}/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username, password }),
    });
    return (await r.json()).session_token as string;
  };
  const created = await fetch(`${server.url}/users`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ username: "carla", password: "senha-da-carla-1", is_admin: false }),
  });
  expect(created.status).toBe(201);
  const carlaId = (await created.json()).id;
  const here = await login("carla", "senha-da-carla-1");
  const elsewhere = await login("carla", "senha-da-carla-1");
  const ws = (t: string) => wsConnect(`${server.url.replace(/^http/, "ws")}/ws/orders?token=${t}`);
  const [mine, other] = await Promise.all([ws(here), ws(elsewhere)]);
  await Promise.all([mine.next(), other.next()]);
  const changed = await fetch(`${server.url}/auth/change-password`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${here}` },
    body: JSON.stringify({ current_password: "senha-da-carla-1", new_password: "senha-da-carla-2" }),
  });
  expect(changed.status).toBe(200);
  expect(await Promise.race([other.closed, sleep(3_000).then(() => null)])).toMatchObject({ code: 1008 });
  expect(mine.ws.readyState).toBe(WebSocket.OPEN);
  // An admin resets the password: every session of the user ends, the caller's own included.
  const reset = await fetch(`${server.url}/users/${carlaId}`, {
    method: "PATCH",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ password: "senha-nova-da-carla" }),
  });
  expect(reset.status).toBe(200);
  expect(await Promise.race([mine.closed, sleep(3_000).then(() => null)])).toMatchObject({ code: 1008 });
});
