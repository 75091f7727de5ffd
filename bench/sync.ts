// Sync: does delivery slow requests down, and how fast does a backlog drain?
// `npx tsx bench/sync.ts` (RUNS=3, DURATION=5 s, CONNECTIONS=10, BACKLOG=5000 by default). A real MariaDB (started
// here, as the tests do) and a local HTTP receiver; server, load generator, MariaDB and receiver share the 2 cores,
// so the figures are pessimistic, and the ratios are what matters.
//  1. POST /pedidos/ (autocannon) with no sink vs. both sinks on, runs interleaved: creates/s and latency.
//  2. Commit-to-receiver latency of single writes at a low rate (both sinks on).
//  3. Drain: a backlog of BACKLOG order creates committed while the sinks were off, then configured: events/s.
// @ts-expect-error autocannon ships no type declarations
import autocannon from "autocannon";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { startTestServer, type TestServer } from "../test/helpers/server.ts";
import { startMariaDb } from "../test/helpers/mariadb.ts";
import { startReceiver } from "../test/helpers/http-receiver.ts";
import { createOrder } from "../lib/orders/write.ts";

const RUNS = Number(process.env.RUNS ?? 3);
const DURATION = Number(process.env.DURATION ?? 5);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 10);
const BACKLOG = Number(process.env.BACKLOG ?? 5_000);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const body = (i: number) => ({
  cliente: `Cliente ${i}`,
  data_entrada: "2026-11-29",
  cidade_cliente: "Vitória",
  estado_cliente: "ES",
  items: [0, 1, 2].map((k) => ({
    tipo_producao: "lona",
    descricao: `Item ${k}`,
    valor_unitario: "25.00",
    quantidade_lona: "2",
    vendedor: "Carlos",
  })),
});

const my = await startMariaDb();
const rx = await startReceiver();
const syncEnv = (db: string) => ({ SYNC_HTTP_URL: rx.url, SYNC_MYSQL_URL: db, SYNC_POLL_INTERVAL_MS: "200" });
try {
  console.log(`(load average at start ${loadavg()[0].toFixed(1)})`);
  // 1. Request cost with and without delivery.
  const results: Record<"off" | "on", { rps: number; p50: number; p99: number }[]> = { off: [], on: [] };
  for (let run = 0; run < RUNS; run++) {
    for (const mode of ["off", "on"] as const) {
      const url = mode === "on" ? await my.createDatabase(`bench_${run}`) : "";
      const s = await startTestServer({ env: mode === "on" ? syncEnv(url) : {} });
      try {
        const r = await autocannon({
          url: `${s.url}/pedidos/`,
          method: "POST",
          connections: CONNECTIONS,
          duration: DURATION,
          headers: { "content-type": "application/json", authorization: `Bearer ${s.adminToken}` },
          body: JSON.stringify(body(run)),
        });
        results[mode].push({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 });
        if (mode === "on") await waitCaughtUp(s, 60_000);
      } finally {
        await s.stop();
      }
    }
  }
  console.log(`\n| POST /pedidos/ (3 items), ${CONNECTIONS} connections, ${DURATION} s × ${RUNS} | creates/s (median) | p50 ms | p99 ms |`);
  console.log("|---|---|---|---|");
  for (const mode of ["off", "on"] as const) {
    const xs = results[mode];
    console.log(
      `| sinks ${mode === "off" ? "off" : "on (HTTP + MySQL)"} | ${median(xs.map((x) => x.rps)).toFixed(0)} | ${median(xs.map((x) => x.p50))} | ${median(xs.map((x) => x.p99))} |`,
    );
  }
  console.log(`ratio on/off (creates/s): ${(median(results.on.map((x) => x.rps)) / median(results.off.map((x) => x.rps))).toFixed(2)}`);

  // 2. Commit to receipt, one write at a time.
  {
    const s = await startTestServer({ env: syncEnv(await my.createDatabase("bench_latency")) });
    try {
      const lat: number[] = [];
      for (let i = 0; i < 40; i++) {
        const t = performance.now();
        const r = await s.request("POST", "/pedidos/", { token: s.adminToken, body: body(i) });
        await rx.waitFor((acked) => acked.some((e) => e.pedido_id === r.body.id && e.event_id), 10_000);
        lat.push(performance.now() - t);
        await new Promise((res) => setTimeout(res, 50));
      }
      console.log(
        `\nrequest + delivery to the HTTP receiver, single writes: median ${median(lat).toFixed(1)} ms, max ${Math.max(...lat).toFixed(1)} ms`,
      );
    } finally {
      await s.stop();
    }
  }

  // 3. Drain a backlog committed while the sinks were off.
  {
    const dir = mkdtempSync(join(tmpdir(), "sgp-bench-sync-"));
    try {
      let s = await startTestServer({ dir });
      const actor = { id: 1, username: "admin", isAdmin: true };
      s.deps.db.writeSync((tx) => {
        for (let i = 0; i < BACKLOG; i++) createOrder(tx, body(i) as never, actor);
      });
      await s.stop();
      const drainDb = await my.createDatabase("bench_drain");
      for (const sink of ["http", "mysql"] as const) {
        const env: Record<string, string> =
          sink === "http"
            ? { SYNC_HTTP_URL: rx.url, SYNC_POLL_INTERVAL_MS: "200" }
            : { SYNC_MYSQL_URL: drainDb, SYNC_POLL_INTERVAL_MS: "200" };
        s = await startTestServer({ dir, env });
        // A sink starts at the head when it is first configured: rewind it to 0 to drain the whole backlog.
        s.deps.db.writeSync((tx) => tx.run("UPDATE sync_sinks SET cursor = 0 WHERE sink = ?", sink));
        const t = performance.now();
        await waitCaughtUp(s, 300_000, sink);
        const ms = performance.now() - t;
        console.log(
          `drain ${BACKLOG} order_created events to ${sink}: ${ms.toFixed(0)} ms (${(BACKLOG / (ms / 1000)).toFixed(0)} events/s)`,
        );
        await s.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
} finally {
  await rx.close();
  await my.stop();
}

async function waitCaughtUp(s: TestServer, timeoutMs: number, only?: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const head = (s.deps.db.raw.prepare("SELECT coalesce(max(id), 0) AS n FROM event_log").get() as any).n;
    const rows = s.deps.db.raw.prepare("SELECT sink, cursor FROM sync_sinks").all() as { sink: string; cursor: number }[];
    if (rows.filter((r) => !only || r.sink === only).every((r) => r.cursor === head)) return;
    if (Date.now() > deadline) throw new Error(`not caught up: ${JSON.stringify(rows)} head ${head}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
