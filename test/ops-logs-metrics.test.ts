// Logs and metrics: an access line per request at `info` (method, path, status, ms, user, address, request id),
// audit lines, pretty output on a terminal, LOG_FILE with rotation; /metrics in Prometheus text format, guarded,
// with the request counter moving by route pattern, realtime and event-log figures.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../lib/config.ts";
import { createLogger, memoryDestination, openLogger } from "../lib/log.ts";
import { createMetrics } from "../lib/ops/metrics.ts";
import { startServer, type RunningServer } from "../runtime/server.ts";
import { wsConnect } from "./helpers/ws.ts";
import { envFor, tempDir } from "./ops-fixtures.ts";

const METRICS_TOKEN = "scraper-token-0123456789abcdef";
let dir: string;
let s: RunningServer;
let logs: ReturnType<typeof memoryDestination>;
let admin: string;
let user: string;

const call = (path: string, init: RequestInit & { token?: string } = {}) =>
  fetch(`${s.url}${path}`, {
    ...init,
    headers: {
      "content-type": "application/json",
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.headers ?? {}),
    },
  });
const tokenFor = async (username: string, password: string) =>
  (
    (await (await call("/auth/login", { method: "POST", body: JSON.stringify({ username, password }) })).json()) as {
      session_token: string;
    }
  ).session_token;
const records = () => logs.lines.map((l) => JSON.parse(l) as Record<string, any>);

beforeAll(async () => {
  dir = tempDir("ops-logs");
  logs = memoryDestination();
  const config = loadConfig(
    { ...envFor(dir), PORT: "0", HOST: "127.0.0.1", SGP_ADMIN_PASSWORD: "admin-pass-123", LOG_LEVEL: "info", METRICS_TOKEN },
    dir,
  );
  s = await startServer(config, { log: createLogger("info", { destination: logs, pretty: false }), schedule: false });
  admin = await tokenFor("admin", "admin-pass-123");
  const created = await call("/users", {
    method: "POST",
    token: admin,
    body: JSON.stringify({ username: "operador", password: "operador-pass-1" }),
  });
  expect(created.status).toBe(201);
  user = await tokenFor("operador", "operador-pass-1");
});
afterAll(async () => {
  await s?.close(1_000);
  rmSync(dir, { recursive: true, force: true });
});

describe("the access log at info", () => {
  it("one line per request: method, path (no query), status, ms, user, client address, request id", async () => {
    const res = await call("/auth/me?x=segredo", { token: user });
    const rid = res.headers.get("x-request-id");
    const line = records().find((r) => r.rid === rid && r.msg === "request");
    expect(line).toMatchObject({ level: 30, method: "GET", path: "/auth/me", status: 200, user: "operador", ip: "127.0.0.1" });
    expect(typeof line!.ms).toBe("number");
    expect(JSON.stringify(line)).not.toContain("segredo");
    const anon = await call("/health");
    expect(records().find((r) => r.rid === anon.headers.get("x-request-id"))).toMatchObject({ path: "/health", status: 200, user: null });
  });

  it("audit lines: failed login (with the name tried), admin actions, deletes", async () => {
    await call("/auth/login", { method: "POST", body: JSON.stringify({ username: "operador", password: "errada-1234" }) });
    const created = await call("/users", {
      method: "POST",
      token: admin,
      body: JSON.stringify({ username: "temporario", password: "temporario-1" }),
    });
    const id = ((await created.json()) as { id: number }).id;
    const del = await call(`/users/${id}`, { method: "DELETE", token: admin });
    expect(del.status).toBe(204);
    const audits = records().filter((r) => r.audit);
    expect(audits).toContainEqual(expect.objectContaining({ audit: "login_failed", user: "operador", ip: "127.0.0.1", status: 401 }));
    expect(audits).toContainEqual(expect.objectContaining({ audit: "admin_action", user: "admin", method: "POST", path: "/users" }));
    expect(audits).toContainEqual(expect.objectContaining({ audit: "delete", user: "admin", path: `/users/${id}`, status: 204 }));
    // A read is never audited.
    expect(audits.some((a) => a.method === "GET")).toBe(false);
  });
});

/** Parses Prometheus' text exposition format strictly; throws on a malformed line. */
function parseProm(
  text: string,
): Map<string, { type: string; samples: { name: string; labels: Record<string, string>; value: number }[] }> {
  const families = new Map<string, { type: string; samples: { name: string; labels: Record<string, string>; value: number }[] }>();
  const NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
  const sample = new RegExp(
    `^(${NAME})(?:\\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\.)*",?)*)\\})? (-?[0-9.eE+-]+|[+-]Inf|NaN)( -?\\d+)?$`,
    "i",
  );
  for (const line of text.split("\n")) {
    if (line === "") continue;
    let m = new RegExp(`^# HELP (${NAME}) .*$`).exec(line);
    if (m) continue;
    m = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`).exec(line);
    if (m) {
      if (families.has(m[1])) throw new Error(`TYPE twice for ${m[1]}`);
      families.set(m[1], { type: m[2], samples: [] });
      continue;
    }
    m = sample.exec(line);
    if (!m) throw new Error(`not Prometheus text: ${line}`);
    const family = [...families.keys()].filter((f) => m![1] === f || m![1].startsWith(`${f}_`)).sort((a, b) => b.length - a.length)[0];
    if (!family) throw new Error(`sample before its TYPE: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    families.get(family)!.samples.push({ name: m[1], labels, value: /nan/i.test(m[3]) ? NaN : Number(m[3].replace(/inf/i, "Infinity")) });
  }
  return families;
}

const scrape = async (token = METRICS_TOKEN) => {
  const res = await call("/metrics", { token });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseProm(await res.text());
};
const value = (m: ReturnType<typeof parseProm>, family: string, labels: Record<string, string> = {}, name = family) =>
  m.get(family)?.samples.find((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v))?.value;

describe("GET /metrics", () => {
  it("an admin token or METRICS_TOKEN; anyone else is refused", async () => {
    expect((await call("/metrics")).status).toBe(401);
    expect((await call("/metrics", { token: "nao-e-token" })).status).toBe(401);
    expect((await call("/metrics", { token: user })).status).toBe(403);
    expect((await call("/metrics", { token: admin })).status).toBe(200);
    expect((await call("/metrics", { token: METRICS_TOKEN })).status).toBe(200);
  });

  it("parses as Prometheus text; the request counter moves, by route pattern and status, never the raw path", async () => {
    const before = await scrape();
    for (let i = 0; i < 3; i++) await call("/pedidos/999999", { token: user });
    await call("/rota/que/nao/existe");
    const after = await scrape();
    expect(after.get("sgp_http_requests_total")!.type).toBe("counter");
    const labels = { method: "GET", route: "/pedidos/:id", status: "404" };
    expect(value(after, "sgp_http_requests_total", labels)! - (value(before, "sgp_http_requests_total", labels) ?? 0)).toBe(3);
    expect(value(after, "sgp_http_requests_total", { route: "unmatched", status: "404" })).toBeGreaterThanOrEqual(1);
    expect(after.get("sgp_http_request_duration_seconds")!.type).toBe("histogram");
    expect(value(after, "sgp_http_request_duration_seconds", labels, "sgp_http_request_duration_seconds_count")).toBeGreaterThanOrEqual(3);
    const routes = new Set(after.get("sgp_http_requests_total")!.samples.map((x) => x.labels.route));
    expect([...routes].some((r) => /999999|nao\/existe/.test(r))).toBe(false);
  });

  it("realtime peers, events delivered, event-log figures, database size, backups, version and process metrics", async () => {
    const ws = await wsConnect(`${s.url.replace("http", "ws")}/ws/orders?token=${user}`);
    await ws.next((m) => m.type === "connected");
    const before = await scrape();
    expect(value(before, "sgp_realtime_peers")).toBe(1);
    const created = await call("/pedidos/", {
      method: "POST",
      token: user,
      body: JSON.stringify({ cliente: "Métricas", data_entrada: "2026-12-01", items: [] }),
    });
    expect(created.status).toBe(200);
    await ws.next((m) => m.type === "order_created");
    const after = await scrape();
    expect(value(after, "sgp_realtime_events_delivered_total")! - value(before, "sgp_realtime_events_delivered_total")!).toBe(1);
    expect(value(after, "sgp_realtime_events_dropped_total")).toBe(0);
    expect(value(after, "sgp_event_log_last_id")).toBeGreaterThanOrEqual(1);
    expect(value(after, "sgp_event_log_lag_events")).toBe(0);
    expect(value(after, "sgp_database_size_bytes", { file: "db" })).toBeGreaterThan(0);
    expect(value(after, "sgp_backup_age_seconds")).toBe(-1);
    expect(value(after, "sgp_backup_last_success")).toBe(-1);
    expect(value(after, "sgp_info", { version: s.deps.config.version })).toBe(1);
    expect(after.has("process_cpu_user_seconds_total")).toBe(true);
    expect(after.has("nodejs_eventloop_lag_seconds")).toBe(true);
    ws.close();
  });

  it("other modules register gauges of their own, read at scrape time", async () => {
    const m = createMetrics();
    let lag = 5;
    m.gauge({
      name: "sgp_sync_sink_lag_events",
      help: "Events a sink has not delivered yet",
      labelNames: ["sink"],
      collect: (set) => {
        set(lag, { sink: "mysql" });
        set(0, { sink: "http" });
      },
    });
    const c = m.counter({ name: "sgp_sync_delivered_total", help: "Events delivered by a sink", labelNames: ["sink"] });
    c.inc({ sink: "mysql" }, 2);
    let parsed = parseProm((await m.render()).body);
    expect(value(parsed, "sgp_sync_sink_lag_events", { sink: "mysql" })).toBe(5);
    lag = 1;
    parsed = parseProm((await m.render()).body);
    expect(value(parsed, "sgp_sync_sink_lag_events", { sink: "mysql" })).toBe(1);
    expect(value(parsed, "sgp_sync_delivered_total", { sink: "mysql" })).toBe(2);
  });
});

describe("one version, and the start-up maintenance", () => {
  it("/openapi.json, /health and / report package.json's version", async () => {
    const version = JSON.parse(readFileSync("package.json", "utf8")).version;
    expect(((await (await call("/openapi.json", { token: user })).json()) as { info: { version: string } }).info.version).toBe(version);
    expect(((await (await call("/health")).json()) as { version: string }).version).toBe(version);
    expect(((await (await call("/")).json()) as { version: string }).version).toBe(version);
  });

  it("ANALYZE ran after the migrations and PRAGMA optimize at the start", () => {
    const keys = (s.deps.db.raw.prepare("SELECT key FROM ops_state ORDER BY key").all() as { key: string }[]).map((r) => r.key);
    expect(keys).toEqual(expect.arrayContaining(["last_analyze", "last_optimize", "write_probe"]));
    expect(s.deps.db.raw.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'sqlite_stat1'").get()).toMatchObject({ n: 1 });
  });
});

describe("log destinations", () => {
  it("pretty lines on a terminal, JSON otherwise", () => {
    const tty = memoryDestination();
    createLogger("info", { destination: tty, pretty: true }).info({ pedido: 7 }, "olá");
    expect(tty.lines.join("\n")).toMatch(/INFO.*olá/);
    expect(() => JSON.parse(tty.lines[0])).toThrow();
    const pipe = memoryDestination();
    createLogger("info", { destination: pipe }).info({ pedido: 7 }, "olá");
    expect(JSON.parse(pipe.lines[0])).toMatchObject({ msg: "olá", pedido: 7, app: "sgp" });
  });

  it("LOG_FILE gets every line as JSON (rotated files sgp.N.log); stdout keeps warnings and errors", async () => {
    const logDir = tempDir("ops-logfile");
    const stdout = memoryDestination();
    const { log, close } = await openLogger(
      { logLevel: "info", logFile: join(logDir, "sgp.log"), logFileKeep: 3 },
      { destination: stdout },
    );
    log.info({ n: 1 }, "linha de info");
    log.warn({ n: 2 }, "linha de aviso");
    await close();
    const files = readdirSync(logDir);
    expect(files).toEqual(["sgp.1.log"]);
    const lines = readFileSync(join(logDir, "sgp.1.log"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.msg)).toEqual(["linha de info", "linha de aviso"]);
    expect(stdout.lines.map((l) => JSON.parse(l).msg)).toEqual(["linha de aviso"]);
    rmSync(logDir, { recursive: true, force: true });
  });
});
