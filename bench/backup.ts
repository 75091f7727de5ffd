// A backup while the server is under load: how long the server's event loop stalls.
// `npx tsx bench/backup.ts` (`BENCH_ORDERS=20000`, `BENCH_SECONDS=5`, `BENCH_ROUNDS=3`; `BENCH_SMOKE=1`: a tiny run).
//
// The server runs in a child process (this file with `--server`) on a database seeded through the real write path;
// the bench process is the load: 8 connections, 80% `GET /pedidos/:id`, 20% `POST /pedidos/`. The server measures its
// own event-loop delay (perf_hooks, 1 ms resolution) and reports it per window. Five windows per round:
//   idle, idle + scheduled   no traffic: what the backup path itself costs the server's event loop;
//   baseline   the load alone (on a shared 2-core machine, its stalls are mostly CPU contention);
//   scheduled  the load + the scheduled backup (what `BACKUP_EVERY` runs: `VACUUM INTO` in the helper process, nice 19,
//              spawned when the server started);
//   inline     the load + `VACUUM INTO` on the server's own connection (what the design avoids), for contrast.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { monitorEventLoopDelay } from "node:perf_hooks";

const SMOKE = process.env.BENCH_SMOKE === "1";
const ORDERS = SMOKE ? 300 : Number(process.env.BENCH_ORDERS ?? 20_000);
const SECONDS = SMOKE ? 0.5 : Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = SMOKE ? 1 : Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 8;

interface Ready {
  url: string;
  token: string;
  maxId: number;
  dbBytes: number;
}
interface Loop {
  maxMs: number;
  p99Ms: number;
  meanMs: number;
}

const orderBody = (i: number) => ({
  cliente: `Cliente ${i % 500}`,
  data_entrada: "2026-12-01",
  observacao: `pedido de carga ${i} `.repeat(8),
  items: [
    {
      tipo_producao: "painel",
      descricao: `Painel ${i}`,
      largura: "3",
      altura: "2",
      valor_painel: "150,00",
      quantidade_paineis: "1",
      tecido: "Oxford",
      designer: "Ana",
    },
    { tipo_producao: "totem", descricao: "Totem", valor_unitario: "50,00", quantidade_totem: "2" },
  ],
});

async function serve(): Promise<void> {
  const v = await import("valibot");
  const { loadConfig } = await import("../lib/config.ts");
  const { createLogger } = await import("../lib/log.ts");
  const { startServer } = await import("../runtime/server.ts");
  const { functions } = await import("../runtime/functions.gen.ts");
  const { createOrderSchema } = await import("../lib/orders/schemas.ts");
  const { createOrder } = await import("../lib/orders/write.ts");
  const dir = mkdtempSync(join(tmpdir(), "sgp-bench-backup-"));
  const config = loadConfig(
    {
      NODE_ENV: "production",
      PORT: "0",
      HOST: "127.0.0.1",
      DATA_DIR: dir,
      MEDIA_ROOT: join(dir, "media"),
      BACKUP_EVERY: "24h",
      BACKUP_KEEP: "2",
      SECRET_KEY: "bench-secret-key-with-enough-length-0123456789",
      SGP_ADMIN_USER: "admin",
      SGP_ADMIN_PASSWORD: "bench-admin-pass",
      LOG_LEVEL: "warn",
    },
    dir,
  );
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  let inline = 0;
  const extra = [
    // Reads and resets this process's event-loop delay: the figure of one window.
    {
      method: "GET" as const,
      path: "/bench/loop",
      guard: "public" as const,
      summary: "bench",
      run: () => {
        const r: Loop = { maxMs: delay.max / 1e6, p99Ms: delay.percentile(99) / 1e6, meanMs: delay.mean / 1e6 };
        delay.reset();
        return r;
      },
    },
    // The scheduled backup's own path (a child process); answers when it is written.
    {
      method: "POST" as const,
      path: "/bench/backup",
      guard: "public" as const,
      summary: "bench",
      run: async () => running.schedules!.backupNow("schedule"),
    },
    // What a process per backup would hold the server's loop for: spawning it (a fork of the server).
    {
      method: "POST" as const,
      path: "/bench/spawn-cost",
      guard: "public" as const,
      summary: "bench",
      run: async () => {
        const { spawn } = await import("node:child_process");
        const { selfCommand } = await import("../lib/ops/install.ts");
        const self = selfCommand();
        const t0 = performance.now();
        const child = spawn(self.command, [...self.args, "--version"], { stdio: "ignore" });
        const ms = performance.now() - t0;
        child.kill(); // only the fork was measured
        await new Promise((r) => child.once("close", r));
        return { ms };
      },
    },
    // The naive way: VACUUM INTO on the server's connection, synchronously, on the event loop.
    {
      method: "POST" as const,
      path: "/bench/backup-inline",
      guard: "public" as const,
      summary: "bench",
      run: () => {
        const t0 = performance.now();
        running.deps.db.raw.prepare("VACUUM INTO ?").run(join(dir, `inline-${inline++}.db`));
        return { ms: performance.now() - t0 };
      },
    },
  ];
  const running = await startServer(config, {
    log: createLogger("warn"),
    functions: [...functions, ...extra],
    schedule: { firstBackupDelayMs: 24 * 3600_000 },
  });
  const actor = { id: 1, username: "admin", isAdmin: true };
  for (let done = 0; done < ORDERS; ) {
    const n = Math.min(1_000, ORDERS - done);
    running.deps.db.writeSync((tx) => {
      for (let i = 0; i < n; i++) createOrder(tx, v.parse(createOrderSchema, orderBody(done + i)), actor);
    });
    done += n;
  }
  running.deps.db.raw.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  const login = await fetch(`${running.url}/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: "bench-admin-pass" }),
  });
  const token = ((await login.json()) as { session_token: string }).session_token;
  const ready: Ready = { url: running.url, token, maxId: ORDERS, dbBytes: statSync(config.databasePath).size };
  console.log(`READY ${JSON.stringify(ready)}`);
  const stop = () =>
    void running.close(1_000).then(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
  process.once("SIGTERM", stop);
  process.stdin.once("end", stop).resume();
}

async function startChild(): Promise<{ child: ChildProcess; ready: Ready }> {
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--server"], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! });
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`bench server exited with ${code}`)));
    lines.on("line", (line) => line.startsWith("READY ") && resolve(JSON.parse(line.slice(6)) as Ready));
  });
  return { child, ready };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs: number[], p: number) =>
  xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] : 0;

/** The mixed load until `until` resolves (and at least SECONDS): request latencies and failures. */
async function load(ready: Ready, until: Promise<unknown>): Promise<{ latencies: number[]; errors: number; requests: number }> {
  let stop = false;
  const minEnd = Date.now() + SECONDS * 1000;
  void until.finally(() => {
    const wait = Math.max(0, minEnd - Date.now());
    setTimeout(() => (stop = true), wait);
  });
  const latencies: number[] = [];
  let errors = 0;
  let seq = 0;
  const worker = async () => {
    while (!stop) {
      const i = seq++;
      const t0 = performance.now();
      const res =
        i % 5 === 4
          ? await fetch(`${ready.url}/pedidos/`, {
              method: "POST",
              headers: { "content-type": "application/json", authorization: `Bearer ${ready.token}` },
              body: JSON.stringify(orderBody(i)),
            })
          : await fetch(`${ready.url}/pedidos/${1 + ((i * 7919) % ready.maxId)}`, { headers: { authorization: `Bearer ${ready.token}` } });
      await res.arrayBuffer();
      latencies.push(performance.now() - t0);
      if (res.status !== 200) errors++;
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  return { latencies, errors, requests: latencies.length };
}

const loopOf = async (ready: Ready) => (await (await fetch(`${ready.url}/bench/loop`)).json()) as Loop;

type Kind = "idle" | "idle-scheduled" | "baseline" | "scheduled" | "inline";

async function window(ready: Ready, kind: Kind) {
  await loopOf(ready); // reset
  const t0 = performance.now();
  const job =
    kind === "baseline" || kind === "idle"
      ? new Promise((r) => setTimeout(r, SECONDS * 1000))
      : fetch(`${ready.url}/bench/${kind === "inline" ? "backup-inline" : "backup"}`, { method: "POST" }).then(async (r) => {
          const body = (await r.json()) as { ok?: boolean; ms?: number; error?: string };
          if (kind !== "inline" && !body.ok) throw new Error(`scheduled backup failed: ${body.error}`);
          return performance.now() - t0;
        });
  const idle = kind === "idle" || kind === "idle-scheduled";
  const [traffic, backupMs] = await Promise.all([
    idle ? job.then(() => ({ latencies: [], errors: 0, requests: 0 })) : load(ready, job),
    job,
  ]);
  const loop = await loopOf(ready);
  return { loop, traffic, backupMs: typeof backupMs === "number" ? backupMs : null };
}

async function main() {
  const { child, ready } = await startChild();
  try {
    await window(ready, "baseline"); // warm-up: JIT, statement cache, session cache
    const rows = new Map<string, { max: number[]; p99: number[]; reqP99: number[]; rps: number[]; errors: number; backupMs: number[] }>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const kind of ["idle", "idle-scheduled", "baseline", "scheduled", "inline"] as const) {
        const w = await window(ready, kind);
        const row = rows.get(kind) ?? { max: [], p99: [], reqP99: [], rps: [], errors: 0, backupMs: [] };
        row.max.push(w.loop.maxMs);
        row.p99.push(w.loop.p99Ms);
        row.reqP99.push(pct(w.traffic.latencies, 99));
        row.rps.push(w.traffic.requests / Math.max(SECONDS, (w.backupMs ?? 0) / 1000));
        row.errors += w.traffic.errors;
        if (w.backupMs !== null) row.backupMs.push(w.backupMs);
        rows.set(kind, row);
      }
    }
    const spawnMs: number[] = [];
    for (let k = 0; k < (SMOKE ? 1 : 7); k++)
      spawnMs.push(((await (await fetch(`${ready.url}/bench/spawn-cost`, { method: "POST" })).json()) as { ms: number }).ms);
    const load = (await import("node:os")).loadavg()[0].toFixed(1);
    console.log(
      `\nbackup under load (${ORDERS.toLocaleString("en")} orders, database ${(ready.dbBytes / 1024 / 1024).toFixed(1)} MiB, ${CONNECTIONS} connections 80% GET /pedidos/:id + 20% POST /pedidos/, ${ROUNDS} round(s), ≥ ${SECONDS} s windows, medians; load average ${load})`,
    );
    console.log("| window | backup ms | event-loop max stall ms | event-loop p99 ms | request p99 ms | req/s | non-200 |");
    console.log("|---|---|---|---|---|---|---|");
    const label = {
      idle: "no traffic",
      "idle-scheduled": "no traffic + scheduled backup (helper process)",
      baseline: "load alone",
      scheduled: "load + scheduled backup (helper process)",
      inline: "load + VACUUM INTO on the server's connection",
    };
    for (const [kind, r] of rows) {
      console.log(
        `| ${label[kind as keyof typeof label]} | ${r.backupMs.length ? median(r.backupMs).toFixed(0) : "-"} | ${median(r.max).toFixed(1)} | ${median(r.p99).toFixed(1)} | ${r.rps.some((x) => x > 0) ? median(r.reqP99).toFixed(1) : "-"} | ${r.rps.some((x) => x > 0) ? median(r.rps).toFixed(0) : "-"} | ${r.errors} |`,
      );
    }
    const s = rows.get("scheduled")!;
    const i = rows.get("inline")!;
    const q = rows.get("idle-scheduled")!;
    console.log(
      `\nlongest event-loop stall during a scheduled backup: ${median(q.max).toFixed(1)} ms without traffic, ${median(s.max).toFixed(1)} ms under load ` +
        `(load alone: ${median(rows.get("baseline")!.max).toFixed(1)} ms); VACUUM INTO on the server's connection: ${median(i.max).toFixed(1)} ms`,
    );
    console.log(
      `a process spawned per backup would hold the loop for spawn(): median ${median(spawnMs).toFixed(1)} ms, max ${Math.max(...spawnMs).toFixed(1)} ms (${spawnMs.length} spawns); the helper is spawned once, at start`,
    );
  } finally {
    child.kill("SIGTERM");
  }
}

if (process.argv[2] === "--server") await serve();
else await main();
