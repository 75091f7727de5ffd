// `sgp sync backfill <sink>` (issue 14) and the sinks' figures in /metrics: the wiring of lib/sync into the CLI
// and the metrics registry, with a real HTTP receiver.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rmSync } from "node:fs";
import { loadConfig } from "../lib/config.ts";
import { createLogger } from "../lib/log.ts";
import { startServer, type RunningServer } from "../runtime/server.ts";
import { startReceiver, type HttpReceiver } from "./helpers/http-receiver.ts";
import { envFor, runSgpHere, tempDir } from "./ops-fixtures.ts";

let dir: string;
let env: Record<string, string>;
let rx: HttpReceiver;

beforeAll(async () => {
  dir = tempDir("cli-sync");
  rx = await startReceiver();
  env = envFor(dir, { SGP_ADMIN_USER: "admin", SGP_ADMIN_PASSWORD: "senha-do-admin-1" });
});
afterAll(async () => {
  await rx?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("sgp sync backfill", () => {
  it("sends every existing order to a sink configured after the orders were written", async () => {
    // Orders written while no sink was configured: nothing was queued for the receiver.
    const plain = loadConfig({ ...env, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent" }, dir);
    const server = await startServer(plain, { log: createLogger("silent"), schedule: false, processMetrics: false });
    const login = await fetch(`${server.url}/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "admin", password: "senha-do-admin-1" }),
    });
    const token = ((await login.json()) as { session_token: string }).session_token;
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await fetch(`${server.url}/pedidos/`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ cliente: `Antigo ${i}`, data_entrada: "2026-11-20" }),
      });
      ids.push(((await r.json()) as { id: number }).id);
    }
    await server.close(2_000);
    expect(rx.acked).toEqual([]);

    const withSink = { ...env, SYNC_HTTP_URL: rx.url, SYNC_HTTP_KEY: "chave-de-teste" };
    const r = await runSgpHere(["sync", "backfill", "http"], withSink, dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/http: 5 pedidos/);
    const sent = rx.acked.map((e) => e.pedido_id);
    expect([...new Set(sent)].sort((a, b) => a - b)).toEqual(ids);
    expect(rx.requests.every((q) => q.headers["x-api-key"] === "chave-de-teste")).toBe(true);

    expect((await runSgpHere(["sync", "backfill", "ftp"], withSink, dir)).code).toBe(2);
    const off = await runSgpHere(["sync", "backfill", "mysql"], withSink, dir);
    expect(off.code).toBe(1);
    expect(off.stderr).toMatch(/sgp sync backfill:/);
  });

  it("/metrics reports each configured sink's figures", async () => {
    const config = loadConfig(
      { ...env, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", SYNC_HTTP_URL: rx.url, METRICS_TOKEN: "metrics-token-0123456789" },
      dir,
    );
    const server: RunningServer = await startServer(config, { log: createLogger("silent"), schedule: false, processMetrics: false });
    try {
      const res = await fetch(`${server.url}/metrics`, { headers: { authorization: "Bearer metrics-token-0123456789" } });
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toMatch(/^sgp_sync_configured\{sink="http"\} 1$/m);
      expect(text).toMatch(/^sgp_sync_pending_events\{sink="http"\} \d+$/m);
      expect(text).toMatch(/^sgp_sync_dead_letters\{sink="http"\} 0$/m);
    } finally {
      await server.close(2_000);
    }
  });
});
