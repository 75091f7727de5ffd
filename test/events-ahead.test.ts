// A write's events are handed to the live sockets before its HTTP response is sent, in the one-process mode and in
// the `--workers` (log-tailing) mode alike: when the response arrives, the hub has already written the event
// (its `delivered` counter moved) — the fan-out is coalesced, but the response waits for it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../lib/config.ts";
import { createLogger } from "../lib/log.ts";
import { startServer, type RunningServer } from "../runtime/server.ts";
import { wsConnect } from "./helpers/ws.ts";

const dirs: string[] = [];
const servers: RunningServer[] = [];

async function start(source: "commit" | "log"): Promise<{ s: RunningServer; token: string }> {
  const dir = mkdtempSync(join(tmpdir(), "sgp-ahead-"));
  dirs.push(dir);
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
  const s = await startServer(config, { log: createLogger("silent"), realtime: { source, tailIntervalMs: 1_000 } });
  servers.push(s);
  const r = await fetch(`${s.url}/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: "admin-pass-123" }),
  });
  return { s, token: (await r.json()).session_token };
}

afterAll(async () => {
  for (const s of servers) await s.close(2_000);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe.each(["commit", "log"] as const)("%s mode", (source) => {
  let s: RunningServer;
  let token: string;
  beforeAll(async () => ({ s, token } = await start(source)));

  it("every create's event was written to the sockets before its response", async () => {
    const listeners = await Promise.all([0, 1, 2].map(() => wsConnect(`${s.url.replace(/^http/, "ws")}/ws/orders?token=${token}`)));
    await Promise.all(listeners.map((l) => l.next()));
    const hub = s.realtime.hub;
    // One at a time: each response lands after exactly its event went to the three sockets.
    for (let i = 0; i < 5; i++) {
      const before = hub.delivered;
      const r = await fetch(`${s.url}/pedidos/`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ cliente: `Um ${i}`, data_entrada: "2026-11-29" }),
      });
      expect(r.status).toBe(200);
      await r.arrayBuffer();
      expect(hub.delivered - before).toBe(3);
    }
    const bodies = Array.from({ length: 20 }, (_, i) => ({ cliente: `Antes ${i}`, data_entrada: "2026-11-29" }));
    // In parallel, so several commits share a fan-out (and several responses wait for the same one).
    await Promise.all(
      bodies.map(async (body) => {
        const before = hub.delivered;
        const r = await fetch(`${s.url}/pedidos/`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
          body: JSON.stringify(body),
        });
        expect(r.status).toBe(200);
        const { id } = await r.json();
        // Read as the response lands: its order_created already went to all three sockets.
        expect(hub.delivered - before).toBeGreaterThanOrEqual(3);
        expect(hub.commitMark).toBeGreaterThan(0);
        return id;
      }),
    );
    for (const l of listeners) {
      await l.waitFor((m) => m.type === "order_created", 25);
      l.close();
    }
  });
});
