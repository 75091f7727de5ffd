// `--workers N`: what several processes on one database file buy, on this machine's cores. The real entry
// (runtime/main.ts) runs with 1 and 2 workers, optionally pinned with `taskset` (1 process on 1 core, the load
// generator on the other; then 1 and 2 processes on both cores, sharing them with the generator). Each config:
// `GET /pedidos/{id}` and the poll (unchanged: the memo) under autocannon, and creates; req/s and the server's CPU
// per request (every process of the tree).
// `npx tsx bench/workers.ts` (ORDERS=2000 DURATION=5); BENCH_SMOKE=1 for a tiny run.
// @ts-expect-error autocannon ships no type declarations
import autocannon from "autocannon";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as v from "valibot";
import { openDatabase } from "../lib/db/connection.ts";
import { migrate } from "../lib/db/migrate.ts";
import { createLogger } from "../lib/log.ts";
import { installOrderHooks } from "../lib/orders/hooks.ts";
import { createOrder } from "../lib/orders/write.ts";
import { createOrderSchema } from "../lib/orders/schemas.ts";
import { load, median, size, SMOKE, table } from "./lib/report.ts";

const ORDERS = size("ORDERS", 2_000, 50);
const DURATION = size("DURATION", 5, 1);
const ROUNDS = size("ROUNDS", 3, 1);
const MAIN = fileURLToPath(new URL("../runtime/main.ts", import.meta.url));
const hasTaskset = process.platform === "linux" && spawnSync("taskset", ["-p", String(process.pid)]).status === 0;

const dir = mkdtempSync(join(tmpdir(), "sgp-bench-workers-"));
const database = join(dir, "sgp.db");
{
  const db = openDatabase(database);
  installOrderHooks(db, { materialStockAutoDeduction: false });
  migrate(db, createLogger("silent"));
  const actor = { id: 1, username: "admin", isAdmin: true };
  db.writeSync((tx) => {
    for (let i = 0; i < ORDERS; i++) {
      createOrder(
        tx,
        v.parse(createOrderSchema, {
          cliente: `Cliente ${i}`,
          data_entrada: "2026-11-29",
          valor_frete: "15,00",
          items: [0, 1, 2, 3, 4].map((k) => ({
            tipo_producao: "painel",
            descricao: `Item ${i}-${k}`,
            largura: "1,50",
            altura: "2,00",
            valor_unitario: "80.00",
            vendedor: "Carlos",
            tecido: "Oxford",
          })),
        }),
        actor,
      );
    }
  });
  db.close();
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** CPU (ms) of a process and every descendant (Linux /proc). */
function treeCpuMs(root: number): number {
  let total = 0;
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    try {
      const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      total += (Number(f[11]) + Number(f[12])) * 10;
      for (const t of readdirSync(`/proc/${pid}/task`)) {
        const kids = readFileSync(`/proc/${pid}/task/${t}/children`, "utf8").trim();
        if (kids) stack.push(...kids.split(" ").map(Number));
      }
    } catch {
      // gone
    }
  }
  return total;
}

async function start(workers: number, cpus: string | null): Promise<{ child: ChildProcess; url: string; token: string }> {
  const port = await freePort();
  const env = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    DATABASE_URL: `file:${database}`,
    MEDIA_ROOT: join(dir, "media"),
    SECRET_KEY: "bench-secret-key-with-enough-length-0123456789",
    SGP_ADMIN_USER: "admin",
    SGP_ADMIN_PASSWORD: "admin-pass-123",
    LOG_LEVEL: "error",
  };
  const argv = ["--import", "tsx", MAIN, "--workers", String(workers)];
  const child =
    cpus && hasTaskset
      ? spawn("taskset", ["-c", cpus, process.execPath, ...argv], { env, stdio: "inherit" })
      : spawn(process.execPath, argv, { env, stdio: "inherit" });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const ok = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (i > 300) throw new Error("server did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
  const r = await fetch(`${url}/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: "admin-pass-123" }),
  });
  return { child, url, token: ((await r.json()) as { session_token: string }).session_token };
}

async function cannon(url: string, token: string, opts: Record<string, unknown> = {}) {
  const { headers, ...rest } = opts;
  return autocannon({
    url,
    connections: 20,
    duration: DURATION,
    ...rest,
    headers: { authorization: `Bearer ${token}`, "accept-encoding": "gzip", ...(headers as object) },
  });
}

const configs: { label: string; workers: number; server: string | null; driver: string | null }[] = [
  ...(hasTaskset ? [{ label: "1 process, pinned to 1 core (driver on the other)", workers: 1, server: "0", driver: "1" }] : []),
  { label: "1 process, 2 cores shared with the driver", workers: 1, server: null, driver: null },
  { label: "--workers 2, 2 cores shared with the driver", workers: 2, server: null, driver: null },
];

const rows: string[][] = [];
try {
  console.log(`(${load()}; taskset ${hasTaskset ? "available" : "not available"})`);
  for (const c of configs) {
    if (c.driver && hasTaskset) spawnSync("taskset", ["-p", "-c", c.driver, String(process.pid)]);
    const { child, url, token } = await start(c.workers, c.server);
    try {
      const body = JSON.stringify({
        cliente: "Workers",
        data_entrada: "2026-11-29",
        items: [{ tipo_producao: "painel", descricao: "x", valor_unitario: "10.00" }],
      });
      const measures: [string, Record<string, unknown>][] = [
        ["GET /pedidos/{id}", { url: `${url}/pedidos/${Math.ceil(ORDERS / 2)}` }],
        ["the poll, unchanged (memo)", { url: `${url}/pedidos/?skip=0&limit=501&is_pronto=false` }],
        ["POST /pedidos/", { url: `${url}/pedidos/`, method: "POST", body, headers: { "content-type": "application/json" } }],
      ];
      const probe = await fetch(`${url}/pedidos/${Math.ceil(ORDERS / 2)}`, { headers: { authorization: `Bearer ${token}` } });
      if (probe.status !== 200) throw new Error(`${c.label}: GET /pedidos/{id} answered ${probe.status}: ${await probe.text()}`);
      const cells: string[] = [c.label];
      for (const [, m] of measures) {
        const rps: number[] = [];
        const cpu: number[] = [];
        if (!SMOKE) await cannon(m.url as string, token, m); // warm-up
        for (let r = 0; r < ROUNDS; r++) {
          const c0 = existsSync(`/proc/${child.pid}`) ? treeCpuMs(child.pid!) : 0;
          const res = await cannon(m.url as string, token, m);
          if (res.non2xx || res.errors)
            throw new Error(`${c.label}: ${res.non2xx} non-2xx (${JSON.stringify(res.statusCodeStats)}), ${res.errors} errors`);
          rps.push(res.requests.total / res.duration);
          cpu.push((treeCpuMs(child.pid!) - c0) / Math.max(1, res.requests.total));
        }
        cells.push(`${median(rps).toFixed(0)} req/s (${(median(cpu) * 1000).toFixed(0)} µs CPU)`);
      }
      rows.push(cells);
    } finally {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
      if (hasTaskset) spawnSync("taskset", ["-p", "-c", "0-63", String(process.pid)]);
    }
  }
  table(
    `--workers on ${ORDERS.toLocaleString("en")} orders, autocannon 20 connections, ${ROUNDS} × ${DURATION} s (medians; ${load()})`,
    ["configuration", "GET /pedidos/{id}", "the poll (memo)", "POST /pedidos/ (1 item)"],
    rows,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
