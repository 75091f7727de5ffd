// Authenticated vs anonymous GET of the same resource: what the guard costs on the hot path.
// `npx tsx bench/auth.ts` (the server runs in a child process: this same file with `--server`).
//
// Fairness: both routes run the SAME definition (`functions/users/get.ts`: one point select of a user, the same
// JSON out); only the guard differs. `/bench/anon/users/:id` is a public clone; the authenticated runs call the real
// admin route `/users/:id` and a `user`-guarded clone with a non-admin token. Same connections, keep-alive, same
// process; rounds are interleaved so drift of the shared machine hits every variant alike. A second server with
// the session cache turned off shows what the cache buys (cached JWT verify + revocation and user lookups).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
// @ts-expect-error autocannon ships no type declarations
import autocannon from "autocannon";
import { load, size, SMOKE, table } from "./lib/report.ts";

const SECONDS = size("BENCH_SECONDS", 5, 1);
const ROUNDS = size("BENCH_ROUNDS", 3, 1);
const CONNECTIONS = 50;

interface Ready {
  url: string;
  adminToken: string;
  userToken: string;
  userId: number;
}

async function benchConfig() {
  const { loadConfig } = await import("../lib/config.ts");
  const dir = mkdtempSync(join(tmpdir(), "sgp-bench-auth-"));
  const config = loadConfig(
    {
      NODE_ENV: "production",
      PORT: "0",
      HOST: "127.0.0.1",
      DATABASE_URL: `file:${join(dir, "sgp.db")}`,
      MEDIA_ROOT: join(dir, "media"),
      SECRET_KEY: "bench-secret-key-with-enough-length-0123456789",
      SGP_ADMIN_USER: "admin",
      SGP_ADMIN_PASSWORD: "bench-admin-pass",
      LOG_LEVEL: "warn",
    },
    dir,
  );
  return { dir, config };
}

/** The real route table plus the public and user clones of GET /users/:id. */
async function benchFunctions() {
  const { functions } = await import("../runtime/functions.gen.ts");
  const getUser = (await import("../functions/users/get.ts")).default;
  return [
    ...functions,
    { ...getUser, path: "/bench/anon/users/:id", guard: "public" as const },
    { ...getUser, path: "/bench/user/users/:id", guard: "user" as const },
    // The server's own CPU time, read around each run: CPU per request is steadier than req/s on a shared machine.
    { method: "GET" as const, path: "/bench/cpu", guard: "public" as const, summary: "bench", run: () => process.cpuUsage() },
  ];
}

async function serve(cache: boolean): Promise<void> {
  const { createLogger } = await import("../lib/log.ts");
  const { startServer } = await import("../runtime/server.ts");
  const { SessionCache } = await import("../lib/auth/sessions.ts");
  const { dir, config } = await benchConfig();
  const running = await startServer(config, { log: createLogger("warn"), functions: await benchFunctions() });
  if (!cache) {
    running.deps.auth.sessions = new (class extends SessionCache {
      override lookup() {
        return null;
      }
      override remember() {}
    })();
  }
  const login = async (username: string, password: string) => {
    const r = await fetch(`${running.url}/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username, password }),
    });
    return ((await r.json()) as { session_token: string }).session_token;
  };
  const adminToken = await login("admin", "bench-admin-pass");
  const created = await fetch(`${running.url}/users`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({ username: "operador", password: "bench-user-pass", setor: "impressao" }),
  });
  const userId = ((await created.json()) as { id: number }).id;
  const ready: Ready = { url: running.url, adminToken, userToken: await login("operador", "bench-user-pass"), userId };
  console.log(`READY ${JSON.stringify(ready)}`); // the log lines on stdout are JSON too
  // Stops when told to, or when the parent goes away (its end of stdin closes), so no server outlives a bench.
  const stop = () => {
    void running.close(1000).then(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
  };
  process.once("SIGTERM", stop);
  process.stdin.once("end", stop).resume();
}

async function startChild(cache: boolean): Promise<{ child: ChildProcess; ready: Ready }> {
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--server", cache ? "cache" : "nocache"], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! });
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`bench server exited with ${code}`)));
    lines.on("line", (line) => {
      if (line.startsWith("READY ")) resolve(JSON.parse(line.slice(6)) as Ready);
    });
  });
  return { child, ready };
}

function cannon(url: string, token: string | null): Promise<{ rps: number; p99: number; non2xx: number; errors: number }> {
  return new Promise((resolve, reject) => {
    autocannon(
      { url, connections: CONNECTIONS, duration: SECONDS, headers: token ? { authorization: `Bearer ${token}` } : {} },
      (
        err: Error | null,
        r: { requests: { total: number }; duration: number; latency: { p99: number }; non2xx: number; errors: number },
      ) => (err ? reject(err) : resolve({ rps: r.requests.total / r.duration, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors })),
    );
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function serverCpuMicros(base: string): Promise<number> {
  const u = (await (await fetch(`${base}/bench/cpu`)).json()) as { user: number; system: number };
  return u.user + u.system;
}

/** One autocannon run, with the server CPU it cost per request. */
async function run(base: string, url: string, token: string | null) {
  const before = await serverCpuMicros(base);
  const r = await cannon(url, token);
  const cpu = (await serverCpuMicros(base)) - before;
  return { ...r, cpuPerReq: cpu / (r.rps * SECONDS) };
}

async function measure(label: string, cache: boolean, variants: { name: string; path: string; token: "admin" | "user" | null }[]) {
  const { child, ready } = await startChild(cache);
  try {
    const tokenOf = (t: "admin" | "user" | null) => (t === "admin" ? ready.adminToken : t === "user" ? ready.userToken : null);
    const urlOf = (p: string) => `${ready.url}${p.replace(":id", String(ready.userId))}`;
    if (!SMOKE) for (const v of variants) await cannon(urlOf(v.path), tokenOf(v.token)); // warm-up (JIT, statement cache, session cache)
    const rps = new Map<string, number[]>(variants.map((v) => [v.name, []]));
    const cpu = new Map<string, number[]>(variants.map((v) => [v.name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const v of variants) {
        const r = await run(ready.url, urlOf(v.path), tokenOf(v.token));
        if (r.non2xx || r.errors || !r.rps) throw new Error(`${v.name}: ${r.non2xx} non-2xx, ${r.errors} errors`);
        rps.get(v.name)!.push(r.rps);
        cpu.get(v.name)!.push(r.cpuPerReq);
      }
    }
    const baseRps = median(rps.get(variants[0].name)!);
    const baseCpu = median(cpu.get(variants[0].name)!);
    table(
      `${label} (${CONNECTIONS} connections, ${ROUNDS} × ${SECONDS} s interleaved rounds, medians; ${load()})`,
      ["variant", "req/s", "vs anonymous", "server CPU / request", "anonymous CPU / this", "runs (req/s)"],
      variants.map((v) => {
        const m = median(rps.get(v.name)!);
        const c = median(cpu.get(v.name)!);
        return [
          v.name,
          m.toFixed(0),
          `${((m / baseRps) * 100).toFixed(1)}%`,
          `${c.toFixed(1)} µs`,
          `${((baseCpu / c) * 100).toFixed(1)}%`,
          rps
            .get(v.name)!
            .map((x) => x.toFixed(0))
            .join(", "),
        ];
      }),
    );
  } finally {
    child.kill("SIGTERM");
  }
}

/** The same comparison without network or load generator: `app.fetch` in a loop, µs per request. */
async function inProcess() {
  const { createLogger } = await import("../lib/log.ts");
  const { openDeps } = await import("../runtime/server.ts");
  const { createApp } = await import("../runtime/app.ts");
  const { dir, config } = await benchConfig();
  const defs = await benchFunctions();
  const deps = openDeps(config, createLogger("silent"), defs);
  const app = createApp(deps, defs);
  const { token } = await deps.tokens.sign({ id: 1, username: "admin" });
  // Many short alternating rounds: drift of the shared machine hits both variants alike.
  const N = size("BENCH_IN_PROCESS_N", 2_000, 100);
  const IN_PROCESS_ROUNDS = size("BENCH_IN_PROCESS_ROUNDS", 21, 3);
  const loop = async (path: string, tok: string | null) => {
    const headers: Record<string, string> = tok ? { authorization: `Bearer ${tok}` } : {};
    const t0 = performance.now();
    for (let i = 0; i < N; i++) {
      const r = await app.fetch(new Request(`http://bench${path}`, { headers }));
      if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
      await r.arrayBuffer();
    }
    return ((performance.now() - t0) * 1000) / N;
  };
  await loop("/bench/anon/users/1", null);
  await loop("/users/1", token);
  const anon: number[] = [];
  const auth: number[] = [];
  for (let round = 0; round < IN_PROCESS_ROUNDS; round++) {
    anon.push(await loop("/bench/anon/users/1", null));
    auth.push(await loop("/users/1", token));
  }
  const a = median(anon);
  const b = median(auth);
  table(
    `in-process app.fetch (${IN_PROCESS_ROUNDS} alternating rounds × ${N} requests, medians; ${load()})`,
    ["request", "µs / request", "guard cost", "anonymous / authenticated"],
    [
      ["anonymous GET /bench/anon/users/1", a.toFixed(1), "", ""],
      ["admin token GET /users/1", b.toFixed(1), `${(b - a).toFixed(1)} µs`, `${((a / b) * 100).toFixed(1)}%`],
    ],
  );
  deps.db.close();
  rmSync(dir, { recursive: true, force: true });
}

if (process.argv[2] === "--server") {
  await serve(process.argv[3] !== "nocache");
} else {
  const variants = [
    { name: "anonymous   GET /bench/anon/users/:id (public)", path: "/bench/anon/users/:id", token: null },
    { name: "user token  GET /bench/user/users/:id (user)", path: "/bench/user/users/:id", token: "user" as const },
    { name: "admin token GET /users/:id (admin, real route)", path: "/users/:id", token: "admin" as const },
  ];
  await measure("session cache ON (as shipped)", true, variants);
  await measure("session cache OFF (cached JWT verify + 2 point selects per request)", false, variants.slice(0, 2));
  await inProcess();
}
