// The soak of issue 15: the real server (`runtime/main.ts serve`, its own process) under the shop's day for a long
// time, sampled from outside every second. Goals: RSS flat, p99 event-loop delay under 50 ms, 0 errors.
// - 50 WebSocket clients on /ws/orders: ~80% normal readers, ~10% SLOW readers (they stop reading for seconds at a
//   time; the server drops one whose send buffer passes its bound: expected, counted apart), ~10% CHURNING clients
//   (read a little, vanish without a close, come back with `?since=<last event_id>`).
// - A few HTTP users doing the shop's mix: creates (3-5 items), status and stage-flag PATCHes, item patches,
//   GET /pedidos/{id}, the designer panel, a closing report, deletes; pollers doing the client's 30 s poll (every
//   2 s here: compressed) and now and then the full list.
// - Every second: GET /metrics (RSS, event-loop delay p99 of the last second) and, from a prober process of its
//   own (bench/lib/prober.ts: a busy driver must not count as the server's latency), GET /health.
// `npx tsx bench/soak.ts` (30 minutes; `--minutes N` or SOAK_MINUTES=N; `--quick` = 2 minutes; ORDERS=3000
// WS_CLIENTS=50 HTTP_USERS=4); BENCH_SMOKE=1 for ~10 seconds on a small seed.
import { type ChildProcess, fork, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import WebSocket from "ws";
import { clientOrderBody, seedOrders } from "./lib/orders.ts";
import { load, median, ms, percentile, SMOKE, size, table } from "./lib/report.ts";

const args = process.argv.slice(2);
const minutesArg = args.includes("--minutes") ? Number(args[args.indexOf("--minutes") + 1]) : NaN;
const MINUTES = SMOKE
  ? 10 / 60
  : Number.isFinite(minutesArg)
    ? minutesArg
    : args.includes("--quick")
      ? 2
      : Number(process.env.SOAK_MINUTES || 30);
if (!(MINUTES > 0)) throw new Error("--minutes / SOAK_MINUTES: a positive number of minutes");
const DURATION_MS = Math.round(MINUTES * 60_000);
const ORDERS = size("ORDERS", 3_000, 100);
const WS_CLIENTS = size("WS_CLIENTS", 50, 10);
const SLOW = Math.max(1, Math.round(WS_CLIENTS / 10));
const CHURN = Math.max(1, Math.round(WS_CLIENTS / 10));
const HTTP_USERS = size("HTTP_USERS", 4, 2);
const POLL_MS = size("POLL_MS", 2_000, 1_000); // the client's 30 s poll, compressed
const FULL_LIST_EVERY = 15; // polls between two full lists (`?limit=10001`, the "Todos" tab)
const WS_USERS = Math.ceil(WS_CLIENTS / 12); // the hub allows 20 sockets a user; churners briefly hold two
const MAIN = fileURLToPath(new URL("../runtime/main.ts", import.meta.url));
const PROBER = fileURLToPath(new URL("./lib/prober.ts", import.meta.url));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rand = (a: number, b: number) => a + Math.random() * (b - a);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)];

// ---- the seed: through the write path (validation, pricing, hooks), as bench/orders.ts does ----------------------

const dir = mkdtempSync(join(tmpdir(), "sgp-bench-soak-"));
const database = join(dir, "sgp.db");
const orderBody = (i: number) => clientOrderBody(i, 3 + (i % 3), ["Carlos", "Marta"][i % 2]);
console.log(`seeded ${ORDERS} orders × 3-5 items in ${seedOrders(database, ORDERS, orderBody)} ms`);

// ---- the server, in its own process ------------------------------------------------------------------------------

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const METRICS_TOKEN = randomBytes(16).toString("hex");
const ADMIN = { username: "admin", password: "admin-pass-123" };
const server: ChildProcess = spawn(process.execPath, ["--import", "tsx", MAIN, "serve"], {
  env: {
    PATH: process.env.PATH,
    NODE_ENV: "production",
    LOG_LEVEL: "warn",
    PORT: String(port),
    HOST: "127.0.0.1",
    DATA_DIR: dir,
    DATABASE_URL: `file:${database}`,
    MEDIA_ROOT: join(dir, "media"),
    BACKUP_DIR: join(dir, "backups"),
    SECRET_KEY: randomBytes(30).toString("base64url"),
    SGP_ADMIN_USER: ADMIN.username,
    SGP_ADMIN_PASSWORD: ADMIN.password,
    BACKUP_EVERY: "0",
    METRICS_TOKEN,
  },
  stdio: ["ignore", "pipe", "pipe"],
});
// Its log (warn and above, one JSON line each): dropped readers are expected, anything at error level is an error.
const serverLog = { dropped: 0, errorLines: [] as string[], warnLines: [] as string[] };
let exited: number | null | undefined;
server.once("exit", (code) => (exited = code));
{
  let buf = "";
  const onData = (c: Buffer) => {
    buf += c.toString("utf8");
    let nl: number;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (!line.trim()) continue;
      let level = 0;
      let msg = line;
      try {
        const j = JSON.parse(line) as { level?: number | string; msg?: string };
        level =
          typeof j.level === "number" ? j.level : (({ warn: 40, error: 50, fatal: 60 } as Record<string, number>)[j.level ?? ""] ?? 0);
        msg = j.msg ?? line;
      } catch {
        level = 50; // not a log line: a crash trace
      }
      if (msg === "realtime peer dropped") serverLog.dropped++;
      else if (level >= 50) serverLog.errorLines.push(line.slice(0, 300));
      else serverLog.warnLines.push(line.slice(0, 300));
    }
  };
  server.stdout!.on("data", onData);
  server.stderr!.on("data", onData);
}

for (let i = 0; ; i++) {
  const ok = await fetch(`${url}/health`).then(
    (r) => r.ok,
    () => false,
  );
  if (ok) break;
  if (exited !== undefined || i > 600) throw new Error(`server did not start: ${serverLog.errorLines.join("\n")}`);
  await sleep(100);
}

async function login(username: string, password: string): Promise<string> {
  const r = await fetch(`${url}/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  if (!r.ok) throw new Error(`login ${username}: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { session_token: string }).session_token;
}
const adminToken = await login(ADMIN.username, ADMIN.password);
const wsTokens: string[] = [];
for (let u = 0; u < WS_USERS; u++) {
  const r = await fetch(`${url}/users`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({ username: `painel${u}`, password: `senha-painel-${u}`, is_admin: false, setor: "producao" }),
  });
  if (!r.ok) throw new Error(`POST /users: ${r.status} ${await r.text()}`);
  wsTokens.push(await login(`painel${u}`, `senha-painel-${u}`));
}

// ---- HTTP: requests by kind ----------------------------------------------------------------------------------------

interface Kind {
  count: number;
  errors: number;
  ms: number[];
}
const kinds = new Map<string, Kind>();
const errorSamples: string[] = [];
function noteError(what: string) {
  if (errorSamples.length < 10) errorSamples.push(what);
}
const kindOf = (name: string) => {
  let k = kinds.get(name);
  if (!k) kinds.set(name, (k = { count: 0, errors: 0, ms: [] }));
  return k;
};

/** When each full list ran (performance.now()): which slow seconds of the event loop it explains. */
const fullLists: [number, number][] = [];

/** One request as the client makes it; the whole body is read. A status other than 2xx is an error. */
async function call(kind: string, method: string, path: string, body?: unknown): Promise<any> {
  const k = kindOf(kind);
  const t = performance.now();
  try {
    const r = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${adminToken}`,
        "accept-encoding": "gzip",
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    k.count++;
    k.ms.push(performance.now() - t);
    if (kind.includes("full list")) fullLists.push([t, performance.now()]);
    if (r.status < 200 || r.status > 299) {
      k.errors++;
      noteError(`${method} ${path}: ${r.status} ${text.slice(0, 200)}`);
      return null;
    }
    return text && r.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text;
  } catch (err) {
    k.count++;
    k.errors++;
    noteError(`${method} ${path}: ${(err as Error).message}`);
    return null;
  }
}

// ---- WebSocket clients ---------------------------------------------------------------------------------------------

const wsStats = {
  connects: 0,
  messages: 0,
  events: 0,
  errors: 0,
  slowDrops: 0,
  churns: 0,
  resyncs: 0,
  replayChecks: 0,
};
function wsError(what: string) {
  wsStats.errors++;
  noteError(`ws: ${what}`);
}

let stopping = false;
const deadline = { at: 0 };

/**
 * One socket's life: resolves when it closes. `since` resumes after a cursor. `onOpen` gets the socket (a slow
 * reader pauses it, a churner terminates it). A close the client did not make is `dropped` to the caller.
 */
function connect(
  token: string,
  cursor: { last: number },
  since: number | null,
  onOpen: (ws: WebSocket) => void,
): Promise<{ code: number; ours: boolean }> {
  return new Promise((resolve) => {
    const q = since !== null ? `&since=${since}` : "";
    const ws = new WebSocket(`${url.replace("http", "ws")}/ws/orders?token=${token}${q}`, { perMessageDeflate: false });
    let ours = false;
    let first = true;
    const origClose = ws.close.bind(ws);
    const origTerminate = ws.terminate.bind(ws);
    ws.close = (...a: Parameters<WebSocket["close"]>) => {
      ours = true;
      origClose(...a);
    };
    ws.terminate = () => {
      ours = true;
      origTerminate();
    };
    ws.on("unexpected-response", (_req, res) => {
      wsError(`upgrade answered ${res.statusCode}`);
      res.resume();
      ours = true;
    });
    ws.on("error", (err) => {
      if (!ours) wsError(`socket error: ${err.message}`);
    });
    ws.on("open", () => {
      wsStats.connects++;
      onOpen(ws);
    });
    ws.on("message", (data) => {
      wsStats.messages++;
      let m: { type?: string; event_id?: number };
      try {
        m = JSON.parse(data.toString());
      } catch {
        return wsError(`not JSON: ${data.toString().slice(0, 80)}`);
      }
      if (first) {
        first = false;
        if (m.type !== "connected") wsError(`first message ${m.type}`);
        else if (since !== null) {
          wsStats.replayChecks++;
          if (m.event_id !== since) wsError(`connected with event_id ${m.event_id} after since=${since}`);
        }
        if (typeof m.event_id === "number") cursor.last = m.event_id;
        return;
      }
      if (m.type === "ping" || m.type === "pong") return;
      if (m.type === "resync") {
        wsStats.resyncs++;
        if (typeof m.event_id === "number") cursor.last = m.event_id;
        return;
      }
      if (typeof m.event_id !== "number") return wsError(`message without event_id: ${m.type}`);
      wsStats.events++;
      // Commit order, no duplicate (designer notifications go to their recipient only: gaps are allowed).
      if (m.event_id <= cursor.last) wsError(`event ${m.event_id} after ${cursor.last} (duplicate or out of order)`);
      cursor.last = m.event_id;
    });
    openSockets.add(ws);
    ws.on("close", (code) => {
      openSockets.delete(ws);
      resolve({ code, ours: ours || stopping });
    });
  });
}

const closers = new Set<() => void>();
const openSockets = new Set<WebSocket>();

async function normalReader(token: string): Promise<void> {
  const cursor = { last: 0 };
  let sock: WebSocket | null = null;
  const bye = () => sock?.close(1000);
  closers.add(bye);
  const r = await connect(token, cursor, null, (ws) => (sock = ws));
  closers.delete(bye);
  if (!r.ours) wsError(`normal reader closed by the server (${r.code})`);
}

async function slowReader(token: string, stuck: boolean): Promise<void> {
  const cursor = { last: 0 };
  let since: number | null = null;
  while (!stopping) {
    let sock: WebSocket | null = null;
    let paused = false;
    const bye = () => {
      if (paused) (sock as any)?._socket?.resume();
      sock?.close(1000);
    };
    closers.add(bye);
    const life = connect(token, cursor, since, (ws) => {
      sock = ws;
      // Stop reading for seconds at a time (the TCP window fills, then the server's send buffer).
      void (async () => {
        while (!stopping && ws.readyState === WebSocket.OPEN) {
          await sleep(rand(1_000, 3_000));
          if (stopping || ws.readyState !== WebSocket.OPEN) break;
          (ws as any)._socket.pause();
          paused = true;
          // The first slow reader is sometimes stuck long enough (a frozen tab) to be dropped; the others pause briefly.
          await sleep(stuck && Math.random() < 0.5 ? rand(30_000, 60_000) : rand(3_000, 12_000));
          paused = false;
          if (!stopping) (ws as any)._socket.resume();
        }
      })();
    });
    const r = await life;
    closers.delete(bye);
    if (r.ours) break;
    wsStats.slowDrops++; // the server dropped a reader that did not read: expected
    since = cursor.last;
    await sleep(1_000);
  }
}

async function churner(token: string): Promise<void> {
  const cursor = { last: 0 };
  let since: number | null = null;
  while (!stopping) {
    let sock: WebSocket | null = null;
    const bye = () => sock?.close(1000);
    closers.add(bye);
    const r = await connect(token, cursor, since, (ws) => {
      sock = ws;
      // Read a little, then vanish without a close frame (a laptop lid, a Wi-Fi drop).
      setTimeout(() => ws.readyState === WebSocket.OPEN && !stopping && ws.terminate(), rand(1_000, 4_000));
    });
    closers.delete(bye);
    if (!r.ours) wsError(`churning client closed by the server (${r.code})`);
    if (stopping) break;
    wsStats.churns++;
    since = cursor.last;
    await sleep(rand(300, 1_500));
  }
}

// ---- HTTP users ----------------------------------------------------------------------------------------------------

interface Owned {
  id: number;
  items: number[];
}
/** Each user changes only its own orders (ids modulo the users), so a delete never turns another's GET into a 404. */
async function shopUser(u: number): Promise<void> {
  const seeded: Owned[] = [];
  for (let id = 1; id <= ORDERS; id++) if (id % HTTP_USERS === u) seeded.push({ id, items: [] });
  const created: Owned[] = [];
  let n = 0;
  const any = () => (created.length && Math.random() < 0.5 ? pick(created) : pick(seeded));
  while (!stopping) {
    const r = Math.random();
    if (r < 0.15) {
      const o = await call("POST /pedidos/", "POST", "/pedidos/", orderBody(ORDERS + u * 1_000_000 + n++));
      if (o) created.push({ id: o.id, items: (o.items ?? []).map((i: { id: number }) => i.id) });
    } else if (r < 0.3) {
      const o = any();
      await call("PATCH /pedidos/{id} status", "PATCH", `/pedidos/${o.id}`, { status: pick(["pendente", "em_producao"]) });
    } else if (r < 0.45) {
      const o = any();
      const flag = pick(["conferencia", "sublimacao", "costura", "expedicao"]);
      await call("PATCH /pedidos/{id} flags", "PATCH", `/pedidos/${o.id}`, { [flag]: Math.random() < 0.5 });
    } else if (r < 0.55) {
      const o = any();
      if (!o.items.length) {
        const got = await call("GET /pedidos/{id}", "GET", `/pedidos/${o.id}`);
        if (got) o.items = (got.items ?? []).map((i: { id: number }) => i.id);
      }
      if (o.items.length)
        await call("PATCH /pedidos/pedido-itens/{id}", "PATCH", `/pedidos/pedido-itens/${pick(o.items)}`, {
          observacao: `soak ${n++}`,
          perfil_cor: pick(["FOGRA39", "sRGB"]),
        });
    } else if (r < 0.85) {
      await call("GET /pedidos/{id}", "GET", `/pedidos/${any().id}`);
    } else if (r < 0.92) {
      await call("GET /designers/{nome}/itens", "GET", `/designers/${pick(["Ana", "Bruno"])}/itens?limit=50`);
    } else if (r < 0.95) {
      const m = String(1 + Math.floor(Math.random() * 12)).padStart(2, "0");
      await call(
        "GET relatorio-fechamentos (1 month)",
        "GET",
        `/relatorios-fechamentos/pedidos/relatorio?report_type=${pick(["sintetico_data", "analitico_designer_cliente"])}&start_date=2026-${m}-01&end_date=2026-${m}-28`,
      );
    } else if (created.length > 5) {
      const [o] = created.splice(Math.floor(Math.random() * created.length), 1);
      await call("DELETE /pedidos/{id}", "DELETE", `/pedidos/${o.id}`);
    }
    await sleep(rand(100, 400)); // a person at a counter, compressed
  }
}

async function poller(p: number): Promise<void> {
  await sleep(p * (POLL_MS / 2));
  for (let i = 1; !stopping; i++) {
    if (i % FULL_LIST_EVERY === 0) await call("GET /pedidos/?limit=10001 (full list)", "GET", "/pedidos/?skip=0&limit=10001");
    else await call("GET /pedidos/?limit=501&is_pronto=false (poll)", "GET", "/pedidos/?skip=0&limit=501&is_pronto=false");
    await sleep(POLL_MS);
  }
}

// ---- sampling ------------------------------------------------------------------------------------------------------

interface Sample {
  t: number; // seconds since the load started
  rssMb: number;
  eldP99Ms: number;
  eldMaxMs: number;
  cpuS: number; // the server's CPU seconds so far (user + system)
}
const samples: Sample[] = [];
let metricsErrors = 0;
const metric = (text: string, name: string): number => {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.eE+-]+)$`, "m").exec(text);
  return m ? Number(m[1]) : NaN;
};
async function sampler(t0: number): Promise<void> {
  for (let next = t0; !stopping; ) {
    try {
      const r = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      const text = await r.text();
      if (r.status !== 200) throw new Error(`/metrics: ${r.status}`);
      const s = {
        t: (performance.now() - t0) / 1000,
        rssMb: metric(text, "process_resident_memory_bytes") / 2 ** 20,
        eldP99Ms: metric(text, "nodejs_eventloop_lag_p99_seconds") * 1000,
        eldMaxMs: metric(text, "nodejs_eventloop_lag_max_seconds") * 1000,
        cpuS: metric(text, "process_cpu_seconds_total"),
      };
      if (!Number.isFinite(s.rssMb) || !Number.isFinite(s.eldP99Ms)) throw new Error("/metrics: RSS or event-loop delay missing");
      samples.push(s);
    } catch (err) {
      metricsErrors++;
      noteError(`sampler: ${(err as Error).message}`);
    }
    next += 1_000;
    await sleep(Math.max(0, next - performance.now()));
  }
}

/** The server's totals from /metrics (realtime drops as the server counts them). */
async function serverTotals(): Promise<{ dropped: number; delivered: number }> {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  return {
    dropped: metric(text, "sgp_realtime_events_dropped_total"),
    delivered: metric(text, "sgp_realtime_events_delivered_total"),
  };
}

// ---- the run -------------------------------------------------------------------------------------------------------

const loadAtStart = load();
console.log(
  `soak: ${+MINUTES.toFixed(2)} min, ${WS_CLIENTS} sockets (${SLOW} slow, ${CHURN} churning), ${HTTP_USERS} shop users + 2 pollers, ${ORDERS} orders (${loadAtStart})`,
);
// Warm-up: one of each read before the clock starts (first compiles, first memo).
await call("warm-up", "GET", "/pedidos/?skip=0&limit=501&is_pronto=false");
await call("warm-up", "GET", "/pedidos/?skip=0&limit=10001");
await call("warm-up", "GET", "/designers/Ana/itens?limit=50");
kinds.delete("warm-up");

const prober = fork(PROBER, [url, "1000"], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
await new Promise((r) => prober.once("message", r));
// prom-client's event-loop histogram is reset at each scrape: one now, so the first sample covers a second of
// load, not the server's start-up, the seed's first reads and the logins.
await serverTotals();
const t0 = performance.now();
deadline.at = t0 + DURATION_MS;
const sockets: Promise<void>[] = [];
for (let i = 0; i < WS_CLIENTS; i++) {
  const token = wsTokens[i % wsTokens.length];
  sockets.push(i < SLOW ? slowReader(token, i === 0) : i < SLOW + CHURN ? churner(token) : normalReader(token));
}
const users = [...Array.from({ length: HTTP_USERS }, (_, u) => shopUser(u)), poller(0), poller(1)];
const sampling = sampler(t0);
const progress = setInterval(() => {
  const s = samples.at(-1);
  const reqs = [...kinds.values()].reduce((a, k) => a + k.count, 0);
  console.log(
    `  ${Math.round((performance.now() - t0) / 1000)} s: RSS ${s?.rssMb.toFixed(0)} MB, ELD p99 ${s?.eldP99Ms.toFixed(1)} ms, ${reqs} requests, ${wsStats.events} events, ${wsStats.errors + [...kinds.values()].reduce((a, k) => a + k.errors, 0)} errors`,
  );
}, 60_000);
await sleep(DURATION_MS);
stopping = true;
const elapsedMin = (performance.now() - t0) / 60_000;
const loadAtEnd = load();
clearInterval(progress);
const healthDone = new Promise<{ worst: number; count: number; errors: number; samples: number[] }>((r) => {
  prober.on("message", (m) => typeof m === "object" && r(m as never));
  prober.send("stop");
});
await Promise.all(users);
await sampling;
const totals = await serverTotals();
for (const c of [...closers]) c();
// A close handshake behind megabytes a paused reader has yet to read may take long: cut it after 3 s.
const cut = setTimeout(() => {
  for (const ws of openSockets) ws.terminate();
}, 3_000);
await Promise.all(sockets);
clearTimeout(cut);
const health = await healthDone;

server.kill("SIGTERM");
await new Promise((r) => (exited !== undefined ? r(null) : server.once("exit", r)));
rmSync(dir, { recursive: true, force: true });

// ---- the report ----------------------------------------------------------------------------------------------------

const httpErrors = [...kinds.values()].reduce((a, k) => a + k.errors, 0);
const errors = httpErrors + wsStats.errors + metricsErrors + health.errors + serverLog.errorLines.length + (exited ? 1 : 0);

const rows = [...kinds.entries()]
  .sort((a, b) => b[1].count - a[1].count)
  .map(([name, k]) => [name, k.count, k.errors, ms(median(k.ms)), ms(percentile(k.ms, 99)), ms(Math.max(...k.ms))]);
table(
  `Soak, ${elapsedMin.toFixed(1)} min: requests by kind (${HTTP_USERS} shop users + 2 pollers; ${ORDERS.toLocaleString("en")} orders seeded; ${loadAtEnd})`,
  ["request", "count", "errors", "median", "p99", "max"],
  rows,
);

// RSS: after a warm-up (the first 10% of the run, at most a minute: caches, the memo, JIT fill in), the first
// minute's median against the last minute's (halves of the rest in a shorter run), and the slope.
const RUN_S = DURATION_MS / 1000;
const WARM = Math.min(60, RUN_S * 0.1);
const W = Math.min(60, (RUN_S - WARM) * 0.5);
const first = samples.filter((s) => s.t >= WARM && s.t < WARM + W).map((s) => s.rssMb);
const last = samples.filter((s) => s.t >= RUN_S - W).map((s) => s.rssMb);
const rssWarm = median(samples.filter((s) => s.t < Math.max(WARM, 2)).map((s) => s.rssMb));
const slope = (xs: Sample[]): number => {
  if (xs.length < 2) return NaN;
  const mt = xs.reduce((a, s) => a + s.t, 0) / xs.length;
  const mr = xs.reduce((a, s) => a + s.rssMb, 0) / xs.length;
  const num = xs.reduce((a, s) => a + (s.t - mt) * (s.rssMb - mr), 0);
  const den = xs.reduce((a, s) => a + (s.t - mt) ** 2, 0);
  return (num / den) * 60; // MB per minute
};
const rssFirst = median(first);
const rssLast = median(last);
const growth = (rssLast / rssFirst - 1) * 100;
const slopeAll = slope(samples);
const slopeLastHalf = slope(samples.filter((s) => s.t >= DURATION_MS / 2000));
const eld = samples.map((s) => s.eldP99Ms);
const eldMax = Math.max(...eld);
// The server's CPU each second: near 100% its own work holds the loop; well under it, delays are waits for a core.
const cpuPct = samples.slice(1).map((s, i) => ((s.cpuS - samples[i].cpuS) / Math.max(0.001, s.t - samples[i].t)) * 100);
const pct = (x: number) => (Number.isFinite(x) ? `${x.toFixed(0)}%` : "—");
const slowSeconds = samples.filter((s) => s.eldP99Ms >= 50);
const slowCpu = samples.flatMap((s, i) => (i > 0 && s.eldP99Ms >= 50 ? [cpuPct[i - 1]] : []));
const withFullList = (s: Sample) => {
  const end = t0 + s.t * 1000;
  return fullLists.some(([a, b]) => a < end && b > end - 1_000);
};
const hs = health.samples ?? [];
const verdict = [
  Number.isFinite(growth) && growth <= 10
    ? `RSS flat (${growth >= 0 ? "+" : ""}${growth.toFixed(1)}%, goal ≤ +10%)`
    : `RSS NOT flat: +${growth.toFixed(1)}% (${rssFirst.toFixed(0)} → ${rssLast.toFixed(0)} MB, goal ≤ +10%)`,
  eldMax < 50 ? `p99 event-loop delay ${ms(eldMax)} < 50 ms` : `p99 event-loop delay ${ms(eldMax)}: OVER the 50 ms goal`,
  errors === 0 ? "0 errors" : `${errors} ERRORS (goal 0)`,
];
const pass = Number.isFinite(growth) && growth <= 10 && eldMax < 50 && errors === 0;
const verdictLine = `${pass ? "all goals met" : "goal missed"}: ${verdict.join("; ")}`;
const wsLabel = W >= 60 ? "minute" : `${Math.round(W)} s`;

table(
  `Soak, ${elapsedMin.toFixed(1)} min: the server from outside (${samples.length} samples of /metrics, ${health.count} of /health, 1 a second)`,
  ["figure", "value"],
  [
    [`RSS, warm-up (first ${Math.round(WARM)} s) median`, `${rssWarm.toFixed(1)} MB`],
    [`RSS, first ${wsLabel} after warm-up, median`, `${rssFirst.toFixed(1)} MB`],
    [`RSS, last ${wsLabel} median`, `${rssLast.toFixed(1)} MB (${growth >= 0 ? "+" : ""}${growth.toFixed(1)}%)`],
    ["RSS slope, whole run / second half", `${slopeAll.toFixed(2)} / ${slopeLastHalf.toFixed(2)} MB/min`],
    ["RSS, max", `${Math.max(...samples.map((s) => s.rssMb)).toFixed(1)} MB`],
    ["event-loop delay p99 (each second's), max over samples", ms(eldMax)],
    ["event-loop delay p99, median over samples", ms(median(eld))],
    [
      "seconds whose p99 was ≥ 50 ms (of them, with a full list running; the server's CPU in them, median)",
      `${slowSeconds.length} of ${eld.length} (${slowSeconds.filter(withFullList).length}; ${pct(median(slowCpu))})`,
    ],
    ["event-loop delay, max single delay", ms(Math.max(...samples.map((s) => s.eldMaxMs)))],
    ["server CPU, median / max second (100% = one core)", `${pct(median(cpuPct))} / ${pct(Math.max(...cpuPct))}`],
    ["/health latency, p99 / max", `${ms(percentile(hs, 99))} / ${ms(health.worst)}`],
    [
      "WebSocket",
      `${WS_CLIENTS} sockets: ${WS_CLIENTS - SLOW - CHURN} normal, ${SLOW} slow, ${CHURN} churning; ${wsStats.connects} connects`,
    ],
    ["WS messages received (events)", `${wsStats.messages.toLocaleString("en")} (${wsStats.events.toLocaleString("en")})`],
    [
      "churning reconnects with ?since= (connected at the cursor)",
      `${wsStats.churns} (${wsStats.replayChecks} checked), ${wsStats.resyncs} resyncs`,
    ],
    [
      "slow readers dropped by the server (expected, not errors)",
      `${wsStats.slowDrops} seen by the clients, ${serverLog.dropped} in the server's log, ${totals.dropped} events not sent`,
    ],
    [
      "errors",
      `${errors} (HTTP ${httpErrors}, WS ${wsStats.errors}, sampler ${metricsErrors}, /health ${health.errors}, server error log ${serverLog.errorLines.length})`,
    ],
    ["**verdict**", verdictLine],
  ],
);

console.log(`\n**Verdict: ${verdictLine}.** (${loadAtStart} at the start)`);
for (const e of errorSamples) console.log(`  error: ${e}`);
for (const l of serverLog.errorLines.slice(0, 5)) console.log(`  server: ${l}`);
if (serverLog.warnLines.length) console.log(`  server warnings: ${serverLog.warnLines.length}, e.g. ${serverLog.warnLines[0]}`);
if (SMOKE) console.log("(BENCH_SMOKE: the figures mean nothing)");
process.exit(0);
