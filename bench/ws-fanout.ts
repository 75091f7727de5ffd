// WebSocket fan-out benchmark, two parts:
// 1. N authenticated clients (1k, 5k, 10k), one `order_updated` delivered to all: latency, server CPU per
//    broadcast, memory per connection;
// 2. 2,000 listeners while 1,000 creates run 100 in flight: create latency, resets, /health meanwhile, every
//    listener gets every order_created.
// Run: npx tsx bench/ws-fanout.ts [sizes=1000,5000,10000] [rounds=15]  (BENCH_SMOKE=1: 50 clients, 2 rounds)
// The benches open every socket with one user's token: the per-user socket cap is raised for them
// (WS_MAX_SOCKETS_PER_USER), as a shop would never need.
// The server runs in a child process (this file, role "server", with --expose-gc), the clients in this process,
// both on this machine's cores. A fresh server per size, so memory deltas are not polluted by earlier sizes.
// Latency: from just before the HTTP PATCH of an order (commit + event + fan-out) to each client's receipt.
// Memory: server RSS and heap after a forced GC, connected minus idle, divided by N (kernel socket buffers are
// not in RSS: this is what the process itself holds per connection).
// Clients: by default minimal raw-TCP WebSocket clients (real handshake with the token, then they only timestamp
// the first chunk carrying `order_updated`): 10k full `ws` clients cost this 2-core box more CPU than the server
// itself, and that contention would be measured as server latency. WS_FANOUT_CLIENT=ws uses the `ws` library.
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import WebSocket from "ws";
import { connect as tcpConnect, type Socket } from "node:net";
import { randomBytes } from "node:crypto";
import http from "node:http";
import { load, percentile, SMOKE, table } from "./lib/report.ts";

const ROLE = process.env.WS_FANOUT_ROLE;

async function runServer(): Promise<void> {
  const { loadConfig } = await import("../lib/config.ts");
  const { startServer } = await import("../runtime/server.ts");
  const { createLogger } = await import("../lib/log.ts");
  const dir = process.env.WS_FANOUT_DIR!;
  const config = loadConfig(
    {
      NODE_ENV: "test",
      PORT: "0",
      HOST: "127.0.0.1",
      DATABASE_URL: `file:${join(dir, "sgp.db")}`,
      MEDIA_ROOT: join(dir, "media"),
      SECRET_KEY: "bench-secret-key-with-enough-length-0123456789",
      SGP_ADMIN_USER: "admin",
      SGP_ADMIN_PASSWORD: "admin-pass-123",
      LOG_LEVEL: "silent",
      WS_MAX_SOCKETS_PER_USER: "100000",
    },
    dir,
  );
  // Protocol idle pings off for the raw clients (they do not answer pings); the app-level ping stays on.
  const running = await startServer(config, {
    log: createLogger("silent"),
    realtime: { idleTimeoutSec: 3600, ...(process.env.WS_FANOUT_GAP ? { fanoutGapMs: Number(process.env.WS_FANOUT_GAP) } : {}) },
  });
  const gc = (globalThis as { gc?: () => void }).gc;
  process.on("message", async (msg: { cmd: string; [k: string]: unknown }) => {
    if (msg.cmd === "mem") {
      for (let i = 0; i < 3; i++) gc?.();
      const m = process.memoryUsage();
      process.send!({ cmd: "mem", rss: m.rss, heap: m.heapUsed, peers: running.deps.stats.peers() });
    } else if (msg.cmd === "cpu") {
      const u = process.cpuUsage();
      process.send!({ cmd: "cpu", us: u.user + u.system, sys: u.system });
    } else if (msg.cmd === "emit") {
      // Fallback trigger when the order routes are not available: the same commit path, without HTTP.
      const t = performance.now();
      const id = await running.deps.db.write(
        (tx) => tx.emit({ type: "order_updated", orderId: 1, payload: msg.payload as Record<string, unknown>, actor: null }).id,
      );
      // The commit listeners (the hub's fan-out) run inside write(): this is commit + fan-out loop time.
      process.send!({ cmd: "emitted", id, ms: performance.now() - t });
    } else if (msg.cmd === "stop") {
      await running.close(5_000);
      process.exit(0);
    }
  });
  process.send!({ cmd: "ready", url: running.url });
}

function ask<T>(child: ChildProcess, msg: object, reply: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: { cmd: string }) => {
      if (m.cmd === reply) {
        child.off("message", on);
        resolve(m as T);
      }
    };
    child.on("message", on);
    child.send(msg);
  });
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const median = (xs: number[]) =>
  pct(
    [...xs].sort((a, b) => a - b),
    50,
  );
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function runBench(): Promise<void> {
  const sizes = (process.argv[2] ?? (SMOKE ? "50" : "1000,5000,10000")).split(",").map(Number);
  const rounds = Number(process.argv[3] ?? (SMOKE ? 2 : 15));
  console.log(`node ${process.version}, ${(await import("node:os")).cpus().length} cpus; rounds per size: ${rounds} (+1 warm-up)`);
  const rows: string[][] = [];
  for (const n of sizes) rows.push(await runSize(n, rounds));
  table(
    `One order_updated to N listeners (medians of ${rounds} rounds; ${load()})`,
    [
      "N",
      "trigger",
      "p50",
      "p99",
      "all received (median)",
      "worst round p99",
      "server CPU per broadcast",
      "connect all",
      "server RSS / conn",
      "server heap / conn",
    ],
    rows,
  );
  const listeners = SMOKE ? 50 : 2_000;
  const creates = SMOKE ? 40 : 1_000;
  const inflight = SMOKE ? 10 : 100;
  table(
    `${listeners.toLocaleString("en")} listeners, ${creates.toLocaleString("en")} creates with ${inflight} in flight (${load()})`,
    [
      "creates/s",
      "create p50",
      "create p99",
      "HTTP errors / resets",
      "socket resets",
      "/health worst",
      "listeners with every event",
      "server CPU",
      "driver CPU",
    ],
    [await underLoad(listeners, creates, inflight)],
  );
}

/**
 * Part 2: `listeners` raw clients, then `creates` POST /pedidos/ with `inflight` at once (keep-alive), /health every
 * 100 ms meanwhile. Counts resets on both sides and whether every listener got every order_created.
 */
async function underLoad(listeners: number, creates: number, inflight: number): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), "sgp-wsload-"));
  const child = fork(new URL(import.meta.url).pathname, [], {
    env: { ...process.env, WS_FANOUT_ROLE: "server", WS_FANOUT_DIR: dir },
    execArgv: ["--import", "tsx", "--expose-gc"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  try {
    const { url } = await ask<{ url: string }>(child, { cmd: "hello" }, "ready");
    const login = await fetch(`${url}/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "admin", password: "admin-pass-123" }),
    });
    const token = ((await login.json()) as { session_token: string }).session_token;
    const { port } = new URL(url);
    const got = new Int32Array(listeners);
    let socketResets = 0;
    const sockets: Socket[] = [];
    for (let start = 0; start < listeners; start += 250) {
      await Promise.all(
        Array.from(
          { length: Math.min(250, listeners - start) },
          (_, j) =>
            new Promise<void>((resolve, reject) => {
              const i = start + j;
              const sock = countingClient(Number(port), `/ws/orders?token=${token}`, resolve, reject, (n) => (got[i] += n));
              sock.on("close", () => socketResets++);
              sockets.push(sock);
            }),
        ),
      );
    }
    const closesBefore = socketResets;
    const body = JSON.stringify({
      cliente: "Carga",
      data_entrada: "2026-11-29",
      items: [{ tipo_producao: "painel", descricao: "Painel 3x2", largura: "3", altura: "2", valor_unitario: "120,00" }],
    });
    const agent = new http.Agent({ keepAlive: true, maxSockets: inflight });
    const latencies: number[] = [];
    let httpErrors = 0;
    const post = () =>
      new Promise<void>((resolve) => {
        const t = performance.now();
        const req = http.request(
          `${url}/pedidos/`,
          {
            method: "POST",
            agent,
            headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), authorization: `Bearer ${token}` },
          },
          (res) => {
            res.resume().on("end", () => {
              if (res.statusCode === 200) latencies.push(performance.now() - t);
              else httpErrors++;
              resolve();
            });
          },
        );
        req.on("error", () => {
          httpErrors++;
          resolve();
        });
        req.end(body);
      });
    // /health from a process of its own: this one is busy reading thousands of sockets.
    const prober = fork(new URL("./lib/prober.ts", import.meta.url).pathname, [url, "100"], {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    await new Promise((r) => prober.once("message", r));
    const probed = new Promise<{ worst: number; errors: number }>((r) =>
      prober.on("message", (m) => typeof m === "object" && r(m as never)),
    );
    const cpu0 = await ask<{ us: number }>(child, { cmd: "cpu" }, "cpu");
    const drv0 = process.cpuUsage();
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: inflight }, async () => {
        while (next < creates) {
          next++;
          await post();
        }
      }),
    );
    const elapsed = performance.now() - t0;
    for (let i = 0; i < 300 && got.some((n) => n < creates); i++) await sleep(100);
    prober.send("stop");
    const { worst: healthWorst, errors: healthErrors } = await probed;
    httpErrors += healthErrors;
    const cpu1 = await ask<{ us: number }>(child, { cmd: "cpu" }, "cpu");
    const drv = process.cpuUsage(drv0);
    agent.destroy();
    const complete = got.filter((n) => n === creates).length;
    const resets = socketResets - closesBefore;
    for (const s of sockets) s.destroy();
    return [
      (latencies.length / (elapsed / 1000)).toFixed(0),
      `${percentile(latencies, 50).toFixed(0)} ms`,
      `${percentile(latencies, 99).toFixed(0)} ms`,
      String(httpErrors),
      String(resets),
      `${healthWorst.toFixed(0)} ms`,
      `${complete} of ${listeners}`,
      `${((cpu1.us - cpu0.us) / 1000).toFixed(0)} ms`,
      `${((drv.user + drv.system) / 1000).toFixed(0)} ms`,
    ];
  } finally {
    child.send({ cmd: "stop" });
    await new Promise((r) => child.once("exit", r));
    rmSync(dir, { recursive: true, force: true });
  }
}

const CREATED = Buffer.from('"type":"order_created"');

/**
 * A minimal listener (real handshake, token in the query) that counts order_created messages: a marker split
 * between two chunks is still counted once. Lean on purpose: this process reads thousands of sockets, and its CPU
 * is the machine's, not the server's.
 */
function countingClient(port: number, path: string, ready: () => void, fail: (e: Error) => void, onEvents: (n: number) => void): Socket {
  const sock = tcpConnect(port, "127.0.0.1");
  sock.setNoDelay(true);
  sock.write(
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString("base64")}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  let open = false;
  let tail: Buffer | null = null;
  sock.on("error", fail);
  sock.on("data", (chunk: Buffer) => {
    if (!open) {
      if (!chunk.toString("latin1", 0, 12).startsWith("HTTP/1.1 101")) return fail(new Error(chunk.toString("latin1", 0, 40)));
      open = true;
      ready();
    }
    let n = 0;
    for (let at = chunk.indexOf(CREATED); at >= 0; at = chunk.indexOf(CREATED, at + CREATED.length)) n++;
    if (tail) {
      // Only a marker straddling the boundary: the tail's end and the chunk's start.
      const seam = Buffer.concat([tail, chunk.subarray(0, CREATED.length - 1)]);
      if (seam.indexOf(CREATED) >= 0) n++;
    }
    if (n) onEvents(n);
    tail = chunk.length >= CREATED.length - 1 ? chunk.subarray(chunk.length - (CREATED.length - 1)) : null;
  });
  return sock;
}

async function runSize(n: number, rounds: number): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), "sgp-wsbench-"));
  const child = fork(new URL(import.meta.url).pathname, [], {
    env: { ...process.env, WS_FANOUT_ROLE: "server", WS_FANOUT_DIR: dir },
    execArgv: [
      "--import",
      "tsx",
      "--expose-gc",
      ...(process.env.WS_FANOUT_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.WS_FANOUT_PROF}`] : []),
    ],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  try {
    const { url } = await ask<{ url: string }>(child, { cmd: "hello" }, "ready");
    const http = async (method: string, path: string, body?: unknown, token?: string) => {
      const r = await fetch(url + path, {
        method,
        body: body === undefined ? undefined : JSON.stringify(body),
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      });
      return { status: r.status, body: (await r.json().catch(() => null)) as any };
    };
    const token = (await http("POST", "/auth/login", { username: "admin", password: "admin-pass-123" })).body.session_token as string;
    // An order of realistic size (about 1-2 KB on the wire) to PATCH each round; without order routes, emit directly.
    const created = await http(
      "POST",
      "/pedidos/",
      {
        cliente: "Cliente Bench",
        telefone_cliente: "11999999999",
        cidade_cliente: "São Paulo",
        estado_cliente: "SP",
        data_entrada: "2026-11-29",
        data_entrega: "2026-12-05",
        valor_frete: "10,00",
        forma_envio: "Correios",
        tipo_pagamento: "Pix",
        observacao: "bench",
        items: [
          {
            tipo_producao: "painel",
            descricao: "Painel 3x2",
            largura: "3",
            altura: "2",
            metro_quadrado: "6",
            vendedor: "Ana",
            designer: "Bia",
            tecido: "Tactel",
            valor_unitario: "120,00",
            quantity: 1,
          },
        ],
      },
      token,
    );
    const orderId: number | null = created.status === 200 ? created.body.id : null;
    const trigger =
      (orderId ? "PATCH /pedidos/{id}" : "db commit via IPC") + (process.env.WS_FANOUT_CLIENT === "ws" ? ", ws clients" : ", raw clients");
    const loopMs: number[] = [];
    const fire = async (round: number) => {
      if (orderId) {
        const r = await http("PATCH", `/pedidos/${orderId}`, { observacao: `round ${round}` }, token);
        if (r.status !== 200) throw new Error(`PATCH failed: ${r.status} ${JSON.stringify(r.body)}`);
      } else {
        const r = await ask<{ ms: number }>(
          child,
          {
            cmd: "emit",
            payload: { type: "order_updated", order: { id: 1, observacao: `round ${round}`, pad: "p".repeat(1000) }, order_id: 1 },
          },
          "emitted",
        );
        loopMs.push(r.ms);
      }
    };

    const idle = await ask<{ rss: number; heap: number }>(child, { cmd: "mem" }, "mem");
    // Connect in batches: every client must have its first message ("connected") before the next batch.
    const arrivals = new Float64Array(n);
    let round = -1;
    let received = 0;
    let roundDone: (() => void) | null = null;
    const sockets: { terminate(): void }[] = [];
    const useWs = process.env.WS_FANOUT_CLIENT === "ws";
    const { port } = new URL(url);
    const arrived = (i: number) => {
      if (round >= 0 && arrivals[i] === 0) {
        arrivals[i] = performance.now();
        if (++received === n) roundDone?.();
      }
    };
    const t0 = performance.now();
    for (let start = 0; start < n; start += 250) {
      const batch = Math.min(250, n - start);
      await Promise.all(
        Array.from(
          { length: batch },
          (_, j) =>
            new Promise<void>((resolve, reject) => {
              const i = start + j;
              if (!useWs) {
                const sock = rawClient(Number(port), `/ws/orders?token=${token}`, resolve, reject, () => arrived(i));
                sockets.push({ terminate: () => sock.destroy() });
                return;
              }
              const ws = new WebSocket(`${url.replace(/^http/, "ws")}/ws/orders?token=${token}`, { perMessageDeflate: false });
              ws.once("error", reject);
              let seenHello = false;
              ws.on("message", (data) => {
                if (!seenHello) {
                  seenHello = true;
                  return resolve();
                }
                // Only order_updated frames matter; cheap check before parsing.
                const text = data.toString();
                if (!text.startsWith('{"type":"order_updated"')) return;
                arrived(i);
              });
              sockets.push(ws);
            }),
        ),
      );
    }
    const connectMs = performance.now() - t0;
    await sleep(500);
    const busy = await ask<{ rss: number; heap: number; peers: number }>(child, { cmd: "mem" }, "mem");
    if (busy.peers !== n) throw new Error(`server reports ${busy.peers} peers, expected ${n}`);

    const cpuMs: number[] = [];
    const sysMs: number[] = [];
    const p50s: number[] = [];
    const p99s: number[] = [];
    const alls: number[] = [];
    for (let r = 0; r <= rounds; r++) {
      arrivals.fill(0);
      received = 0;
      const done = new Promise<void>((res) => (roundDone = res));
      round = r;
      const c0 = await ask<{ us: number; sys: number }>(child, { cmd: "cpu" }, "cpu");
      const cpu0 = c0.us;
      const start = performance.now();
      await fire(r);
      await Promise.race([done, new Promise((r) => setTimeout(r, 30_000).unref())]);
      const c1 = await ask<{ us: number; sys: number }>(child, { cmd: "cpu" }, "cpu");
      const cpu1 = c1.us;
      if (r > 0) cpuMs.push((cpu1 - cpu0) / 1000);
      if (r > 0) sysMs.push((c1.sys - c0.sys) / 1000);
      if (received !== n) throw new Error(`round ${r}: ${received}/${n} clients received the event`);
      const lat = Array.from(arrivals, (t) => t - start).sort((a, b) => a - b);
      if (r > 0) {
        p50s.push(pct(lat, 50));
        p99s.push(pct(lat, 99));
        alls.push(lat[lat.length - 1]);
      }
      await sleep(200);
    }
    round = -1;
    for (const ws of sockets) ws.terminate();
    const f = (x: number) => `${x.toFixed(0)} ms`;
    const kib = (b: number) => `${(b / 1024).toFixed(1)} KiB`;
    const cells = [
      n.toLocaleString("en"),
      trigger,
      f(median(p50s)),
      f(median(p99s)),
      f(median(alls)),
      f(Math.max(...p99s)),
      f(median(cpuMs)),
      `${(connectMs / 1000).toFixed(1)} s`,
      kib((busy.rss - idle.rss) / n),
      kib((busy.heap - idle.heap) / n),
    ];
    const line = `| ${cells.join(" | ")} |`;
    console.log(
      `server CPU per round (PATCH + commit + fan-out to ${n}): median ${median(cpuMs).toFixed(0)} ms = ${((median(cpuMs) * 1000) / n).toFixed(1)} µs/peer (kernel: ${median(sysMs).toFixed(0)} ms)`,
    );
    if (loopMs.length) console.log(`server commit+fan-out loop: median ${median(loopMs.slice(1)).toFixed(0)} ms`);
    console.log(line, `(server RSS idle ${(idle.rss / 2 ** 20).toFixed(0)} MiB, connected ${(busy.rss / 2 ** 20).toFixed(0)} MiB)`);
    return cells;
  } finally {
    child.send({ cmd: "stop" });
    await new Promise((r) => child.once("exit", r));
    rmSync(dir, { recursive: true, force: true });
  }
}

const MARK = Buffer.from('"type":"order_updated"');

/**
 * A minimal WebSocket client: a real upgrade request (token in the query), then every chunk received after the
 * first frame (`connected`) that carries `order_updated` counts as a receipt. Server frames are unmasked, so the
 * payload bytes appear verbatim in the TCP stream.
 */
function rawClient(port: number, path: string, ready: () => void, fail: (e: Error) => void, onEvent: () => void): Socket {
  const sock = tcpConnect(port, "127.0.0.1");
  sock.setNoDelay(true);
  const key = randomBytes(16).toString("base64");
  sock.write(
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  let state: "handshake" | "hello" | "live" = "handshake";
  let head = "";
  sock.on("error", fail);
  sock.on("data", (chunk: Buffer) => {
    if (state === "live") {
      if (chunk.includes(MARK)) onEvent();
      return;
    }
    if (state === "handshake") {
      head += chunk.toString("latin1");
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) return;
      if (!head.startsWith("HTTP/1.1 101")) return fail(new Error(head.split("\r\n")[0]));
      state = "hello";
      if (head.length === end + 4) return; // the first frame comes in a later chunk
    }
    state = "live";
    ready();
  });
  return sock;
}

// Last, so every const above is initialised before it runs.
if (ROLE === "server") await runServer();
else await runBench();
