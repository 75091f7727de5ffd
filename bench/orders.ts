// Orders at the shop's real size: 10,000 orders × 5 items (the client's full item payload). The server runs in its
// own process (bench/lib/server.ts) so its CPU time and RSS are read from outside; the driver (node:http, autocannon)
// shares the same cores, so wall times are pessimistic and the CPU columns are the steadier figures.
// `npx tsx bench/orders.ts` (ORDERS=10000 RUNS=9 DURATION=5); BENCH_SMOKE=1 for a tiny run.
//
// Measured, each a median of RUNS unless said otherwise:
// - the full list `?skip=0&limit=10001` (the client's "Todos" tab): first byte, last byte, server RSS growth, cold
//   (an order changed just before: nothing can come from the response memo) and unchanged (the memo);
// - the client's 30 s poll `?skip=0&limit=501&is_pronto=false` and other reads: server CPU per request;
// - `GET /pedidos/{id}` under autocannon (10 connections): req/s;
// - ten simultaneous full lists: when the last one completes, and the slowest `/health` answer meanwhile;
// - a serial create's server CPU at steady state, and creates/s under 10 connections.
// @ts-expect-error autocannon ships no type declarations
import autocannon from "autocannon";
import http from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { clientOrderBody, seedOrders } from "./lib/orders.ts";
import { startBenchServer } from "./lib/server.ts";
import { load, median, ms, percentile, size, SMOKE, table } from "./lib/report.ts";

const ORDERS = size("ORDERS", 10_000, 200);
const RUNS = size("RUNS", 9, 2);
const DURATION = size("DURATION", 5, 1);
const POLLS = size("POLLS", 40, 5);
const CREATES = size("CREATES", 100, 10);

const dir = mkdtempSync(join(tmpdir(), "sgp-bench-orders-"));
const database = join(dir, "sgp.db");
console.log(`seeded ${ORDERS} orders × 5 items in ${seedOrders(database, ORDERS, clientOrderBody)} ms`);

const server = await startBenchServer({ database });
const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
const auth = { authorization: `Bearer ${server.token}` };

/** Changes an order (a tiny PATCH): lists answered afterwards cannot come from the response memo. */
let patches = 0;
function touch(): Promise<void> {
  const body = JSON.stringify({ observacao: `bench ${patches++}` });
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${server.url}/pedidos/1`,
      { method: "PATCH", agent, headers: { ...auth, "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
      (res) => {
        res.resume().on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`PATCH: ${res.statusCode}`))));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

interface Got {
  status: number;
  ttfb: number;
  total: number;
  bytes: number;
}
function get(path: string, encoding: "gzip" | "identity", opts: { agent?: http.Agent | false } = {}): Promise<Got> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get(server.url + path, { agent: opts.agent ?? agent, headers: { ...auth, "accept-encoding": encoding } }, (res) => {
        let ttfb = 0;
        let bytes = 0;
        res.on("data", (c: Buffer) => {
          if (!ttfb) ttfb = performance.now() - t0;
          bytes += c.length;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, ttfb, total: performance.now() - t0, bytes }));
        res.on("error", reject);
      })
      .on("error", reject);
  });
}

const fmtBytes = (b: number) => (b >= 1e6 ? `${(b / 1e6).toFixed(1)} MB` : `${(b / 1e3).toFixed(1)} KB`);

try {
  console.log(`(${load()} at start; node ${process.version})`);
  for (let i = 0; i < 2; i++) await get("/pedidos/?skip=0&limit=10001", "gzip"); // warm-up: JIT, statement and page caches

  // 1. The full list, as the client asks it (gzip) and raw, with the server's RSS sampled every 5 ms: cold (an
  // order changed just before) and unchanged (answered from the response memo).
  const full: string[][] = [];
  for (const [label, encoding, cold] of [
    ["gzip, cold", "gzip", true],
    ["identity, cold", "identity", true],
    ["gzip, unchanged (memo)", "gzip", false],
  ] as const) {
    const ttfb: number[] = [];
    const total: number[] = [];
    const growth: number[] = [];
    let bytes = 0;
    if (!cold) await get("/pedidos/?skip=0&limit=10001", encoding);
    for (let r = 0; r < RUNS; r++) {
      if (cold) await touch();
      const before = await server.rss();
      let peak = before;
      const sampler = setInterval(() => void server.rss().then((x) => (peak = Math.max(peak, x))), 5);
      const got = await get("/pedidos/?skip=0&limit=10001", encoding);
      clearInterval(sampler);
      if (got.status !== 200) throw new Error(`list: ${got.status}`);
      ttfb.push(got.ttfb);
      total.push(got.total);
      growth.push(peak - before);
      bytes = got.bytes;
    }
    full.push([
      label,
      ms(median(ttfb)),
      ms(median(total)),
      ms(percentile(total, 90)),
      `${(median(growth) / 2 ** 20).toFixed(1)} MB`,
      fmtBytes(bytes),
    ]);
  }
  table(
    `GET /pedidos/?skip=0&limit=10001 over ${ORDERS.toLocaleString("en")} orders × 5 items (median of ${RUNS}; ${load()})`,
    ["accept-encoding", "first byte", "last byte", "p90 last byte", "server RSS growth", "on the wire"],
    full,
  );

  // 2. The poll and other reads: server CPU per request; the lists cold (after a change: the change's own CPU,
  // measured alone, is taken off) and unchanged (the memo).
  const touchCpu: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const c0 = await server.cpuMs();
    for (let i = 0; i < POLLS; i++) await touch();
    touchCpu.push(((await server.cpuMs()) - c0) / POLLS);
  }
  const touchMs = median(touchCpu);
  const reads: string[][] = [];
  for (const [label, path, encoding, cold] of [
    ["the poll `?skip=0&limit=501&is_pronto=false` (gzip), cold", "/pedidos/?skip=0&limit=501&is_pronto=false", "gzip", true],
    ["the poll (gzip), unchanged (memo)", "/pedidos/?skip=0&limit=501&is_pronto=false", "gzip", false],
    ["the poll, identity, cold", "/pedidos/?skip=0&limit=501&is_pronto=false", "identity", true],
    ["`?cliente=acao&limit=101`, cold", "/pedidos/?skip=0&limit=101&cliente=acao", "gzip", true],
    ["`GET /pedidos/summary`", "/pedidos/summary", "gzip", false],
    ["`GET /pedidos/{id}`", `/pedidos/${Math.max(1, Math.floor(ORDERS / 2))}`, "gzip", false],
  ] as const) {
    const cpus: number[] = [];
    const walls: number[] = [];
    let bytes = 0;
    for (let r = 0; r < RUNS + 1; r++) {
      const c0 = await server.cpuMs();
      for (let i = 0; i < POLLS; i++) {
        if (cold) await touch();
        const g = await get(path, encoding);
        if (g.status !== 200) throw new Error(`${path}: ${g.status}`);
        if (r > 0) walls.push(g.total);
        bytes = g.bytes;
      }
      if (r > 0) cpus.push(((await server.cpuMs()) - c0) / POLLS - (cold ? touchMs : 0)); // the first run warms up
    }
    reads.push([label, ms(median(cpus), 2), ms(median(walls)), ms(percentile(walls, 95)), fmtBytes(bytes)]);
  }
  reads.push(["(a PATCH, for reference: taken off the cold rows)", ms(touchMs, 2), "", "", ""]);
  table(
    `Reads, one client, sequential (server CPU: median of ${RUNS} runs of ${POLLS} requests; ${load()})`,
    ["request", "server CPU / request", "wall median", "wall p95", "on the wire"],
    reads,
  );

  // 3. GET /pedidos/{id} under load.
  const rps: number[] = [];
  const cpuReq: number[] = [];
  let p99 = 0;
  for (let r = 0; r < Math.max(1, Math.ceil(RUNS / 3)); r++) {
    const c0 = await server.cpuMs();
    const res = await autocannon({
      url: `${server.url}/pedidos/${Math.max(1, Math.floor(ORDERS / 3))}`,
      connections: 10,
      duration: DURATION,
      headers: { ...auth, "accept-encoding": "gzip" },
    });
    if (res.non2xx || res.errors) throw new Error(`GET /pedidos/{id}: ${res.non2xx} non-2xx, ${res.errors} errors`);
    rps.push(res.requests.total / res.duration);
    cpuReq.push(((await server.cpuMs()) - c0) / res.requests.total);
    p99 = res.latency.p99;
  }

  // 4. Ten people open "Todos" at once, cold (an order changed just before); /health is probed meanwhile from a
  // process of its own (this one is busy reading ten lists).
  const ten: number[] = [];
  const health: number[] = [];
  for (let r = 0; r < Math.max(1, Math.ceil(RUNS / 3)); r++) {
    await touch();
    const prober = fork(fileURLToPath(new URL("./lib/prober.ts", import.meta.url)), [server.url, "20"], {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    await new Promise((x) => prober.once("message", x));
    const probed = new Promise<{ worst: number; errors: number }>((x) =>
      prober.on("message", (m) => typeof m === "object" && x(m as never)),
    );
    const t0 = performance.now();
    const lists = await Promise.all(Array.from({ length: 10 }, () => get("/pedidos/?skip=0&limit=10001", "gzip", { agent: false })));
    ten.push(performance.now() - t0);
    prober.send("stop");
    const p = await probed;
    if (p.errors) throw new Error(`/health failed ${p.errors} times`);
    health.push(p.worst);
    if (lists.some((l) => l.status !== 200)) throw new Error("a simultaneous list failed");
  }

  // 5. Creates: one at a time (server CPU per create at steady state), then 10 connections.
  const body = JSON.stringify(clientOrderBody(1));
  const post = () =>
    new Promise<number>((resolve, reject) => {
      const req = http.request(
        `${server.url}/pedidos/`,
        { method: "POST", agent, headers: { ...auth, "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
        (res) => {
          res.resume().on("end", () => resolve(res.statusCode ?? 0));
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  for (let i = 0; i < CREATES * 3; i++) await post(); // warm-up to steady state (JIT)
  const createCpu: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const c0 = await server.cpuMs();
    for (let i = 0; i < CREATES; i++) if ((await post()) !== 200) throw new Error("create failed");
    createCpu.push(((await server.cpuMs()) - c0) / CREATES);
  }
  const cannon = await autocannon({
    url: `${server.url}/pedidos/`,
    method: "POST",
    connections: 10,
    duration: DURATION,
    headers: { ...auth, "content-type": "application/json" },
    body,
  });

  table(
    `Under load (${load()})`,
    ["measure", "figure"],
    [
      [
        `GET /pedidos/{id}, autocannon 10 connections × ${DURATION} s (median of ${rps.length})`,
        `${median(rps).toFixed(0)} req/s, p99 ${p99} ms, server CPU ${(median(cpuReq) * 1000).toFixed(0)} µs/request`,
      ],
      [
        `ten simultaneous \`limit=10001\` (gzip, cold), all complete (median of ${ten.length})`,
        `${ms(median(ten), 0)} (worst ${ms(Math.max(...ten), 0)})`,
      ],
      ["slowest `/health` during those", `${ms(Math.max(...health), 0)} (median of runs ${ms(median(health), 0)})`],
      [`serial create, 5 items, server CPU at steady state (median of ${RUNS} × ${CREATES})`, ms(median(createCpu), 2)],
      [
        `POST /pedidos/, autocannon 10 connections × ${DURATION} s`,
        `${cannon.requests.average.toFixed(0)} creates/s, p50 ${cannon.latency.p50} ms, p99 ${cannon.latency.p99} ms, ${cannon.non2xx} non-2xx, ${cannon.errors} errors`,
      ],
    ],
  );
  if (SMOKE) console.log("(smoke run: tiny sizes, figures not meaningful)");
} finally {
  agent.destroy();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
