// The HTTP push sink against a real local receiver: body and headers, batching, failures (503, time-outs, a closed
// port), backoff, the dead letter and its retry, restarts from the cursor, and the admin routes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { startReceiver, type HttpReceiver } from "./helpers/http-receiver.ts";
import { wsConnect } from "./helpers/ws.ts";
import { loadConfig } from "../lib/config.ts";
import { createLogger } from "../lib/log.ts";
import { createOrder } from "../lib/orders/write.ts";
import { openDeps } from "../runtime/server.ts";

let rx: HttpReceiver;
let s: TestServer;
let dir: string;

const env = (url: string) => ({
  SYNC_HTTP_URL: url,
  SYNC_HTTP_KEY: "chave-secreta",
  SYNC_HTTP_TIMEOUT_MS: "300",
  // 8 attempts span ~2.3 s: the tests that break the receiver mend it long before an event could go dead.
  SYNC_BACKOFF_BASE_MS: "50",
  SYNC_BACKOFF_MAX_MS: "500",
  SYNC_POLL_INTERVAL_MS: "50",
  SYNC_LEASE_MS: "2000",
});

const sinkRow = () => s.deps.db.raw.prepare("SELECT * FROM sync_sinks WHERE sink = 'http'").get() as any;
const lastEventId = () => Number((s.deps.db.raw.prepare("SELECT coalesce(max(id), 0) AS n FROM event_log").get() as any).n);
const waitUntil = async (pred: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};
const caughtUp = () => waitUntil(() => sinkRow()?.cursor === lastEventId(), "the http cursor to reach the head");

const order = (cliente: string, extra: Record<string, unknown> = {}) =>
  s.request("POST", "/pedidos/", {
    token: s.adminToken,
    body: {
      cliente,
      data_entrada: "2026-11-29",
      items: [{ tipo_producao: "lona", descricao: "Faixa", valor_unitario: "10.50", quantidade_lona: "2" }],
      ...extra,
    },
  });

beforeAll(async () => {
  rx = await startReceiver();
  dir = mkdtempSync(join(tmpdir(), "sgp-sync-http-"));
  s = await startTestServer({ dir, env: env(rx.url) });
});

afterAll(async () => {
  await s?.stop();
  await rx?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("an unconfigured sink", () => {
  it("sends nothing and marks nothing", async () => {
    const other = await startTestServer();
    try {
      const r = await other.request("POST", "/pedidos/", {
        token: other.adminToken,
        body: { cliente: "Sem sync", data_entrada: "2026-11-29" },
      });
      expect(r.status).toBe(200);
      expect(other.deps.db.raw.prepare("SELECT COUNT(*) AS n FROM sync_sinks").get()).toMatchObject({ n: 0 });
      expect(other.deps.db.raw.prepare("SELECT COUNT(*) AS n FROM sync_lease").get()).toMatchObject({ n: 0 });
      const stats = await other.request("GET", "/sync/stats", { token: other.adminToken });
      expect(stats.status).toBe(200);
      expect(stats.body).toMatchObject({
        queue: { pending: 0, retry: 0, sent: 0, dead_letter: 0 },
        pending_total: 0,
        oldest_pending_age_seconds: null,
        sinks: {},
      });
      expect((await other.request("GET", "/sync/health", { token: other.adminToken })).body).toMatchObject({ status: "ok", reasons: [] });
    } finally {
      await other.stop();
    }
  });
});

describe("HTTP push", () => {
  it("starts its cursor at the head of a fresh database, so the bootstrap admin's event is covered too", async () => {
    await caughtUp();
    // The admin's user_changed event (first of the log) is not an order: skipped, not sent.
    expect(sinkRow()).toMatchObject({ attempts: 0 });
    expect(sinkRow().skipped).toBeGreaterThanOrEqual(1);
  });

  it("posts the original's body plus event_id, with x-api-key and Idempotency-Key, after COMMIT", async () => {
    const before = rx.requests.length;
    const r = await order("Gráfica Ação");
    expect(r.status).toBe(200);
    await rx.waitFor((a) => a.some((e) => e.pedido_id === r.body.id), 10_000, "the created order");
    const req = rx.requests.slice(before).find((q) => Array.isArray(q.body) && q.body.some((e: any) => e.pedido_id === r.body.id))!;
    expect(req.headers["x-api-key"]).toBe("chave-secreta");
    expect(req.headers["content-type"]).toBe("application/json");
    const el = req.body.find((e: any) => e.pedido_id === r.body.id);
    expect(req.headers["idempotency-key"]).toBe(
      req.body.length === 1 ? String(el.event_id) : `${req.body[0].event_id}-${req.body.at(-1).event_id}`,
    );
    expect(el).toEqual({
      pedido_id: r.body.id,
      numero: r.body.numero,
      cliente_nome: "Gráfica Ação",
      status: "pendente",
      valor_total: 21,
      updated_at: r.body.ultima_atualizacao,
      event_id: expect.any(Number),
    });
    expect(typeof el.valor_total).toBe("number");
    expect(el.updated_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    await caughtUp();
  });

  it("sends every order event (update, status, delete with the order's data) and no draft", async () => {
    const r = await order("Cliente Fluxo");
    const id = r.body.id;
    expect((await s.request("PATCH", `/pedidos/${id}`, { token: s.adminToken, body: { status: "em_producao" } })).status).toBe(200);
    const draft = await s.request("POST", "/pedidos/rascunho", { token: s.adminToken, body: { cliente: "Rascunho", items: [] } });
    expect(draft.status).toBe(200);
    expect(
      (await s.request("PATCH", `/pedidos/${draft.body.id}`, { token: s.adminToken, body: { rascunho: true, observacao: "x" } })).status,
    ).toBe(200);
    expect((await s.request("DELETE", `/pedidos/${id}`, { token: s.adminToken })).status).toBe(200);
    await caughtUp();
    const mine = rx.acked.filter((e) => e.pedido_id === id);
    expect(mine.map((e) => [e.status, e.deleted ?? false])).toEqual([
      ["pendente", false],
      ["em_producao", false], // order_updated
      ["em_producao", false], // order_status_updated
      ["em_producao", true],
    ]);
    const del = mine.at(-1);
    expect(del).toMatchObject({ numero: r.body.numero, cliente_nome: "Cliente Fluxo", valor_total: 21, deleted: true });
    expect(mine.map((e) => e.event_id)).toEqual([...mine.map((e) => e.event_id)].sort((a, b) => a - b));
    expect(rx.acked.some((e) => e.pedido_id === draft.body.id)).toBe(false);
    // The delete's record is dropped once the cursor passed it.
    expect(s.deps.db.raw.prepare("SELECT COUNT(*) AS n FROM sync_deleted_orders").get()).toMatchObject({ n: 0 });

    expect((await s.request("POST", `/pedidos/${draft.body.id}/promover`, { token: s.adminToken })).status).toBe(200);
    await rx.waitFor((a) => a.some((e) => e.pedido_id === draft.body.id), 10_000, "the promoted draft");
  });

  it("retries a failing receiver (503) with backoff, then delivers everything in order, batched", async () => {
    await caughtUp();
    await rx.setMode("fail", 503);
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push((await order(`Falha ${i}`)).body.id);
    await waitUntil(() => (sinkRow()?.attempts ?? 0) >= 2, "two failed attempts");
    const row = sinkRow();
    expect(row.last_error).toContain("HTTP 503");
    expect(row.last_error).toContain("receptor indisponível");
    const stats = await s.request("GET", "/sync/stats", { token: s.adminToken });
    expect(stats.body.sinks.http).toMatchObject({ configured: true, retrying: 1, pending: expect.any(Number), dead_letters: 0 });
    expect(stats.body.sinks.http.pending).toBeGreaterThanOrEqual(5);
    expect(stats.body.sinks.http.recent_errors[0].error).toContain("503");
    // After a failure only the head event is tried, alone.
    const failed = rx.requests.filter((q) => q.status === 503);
    expect(failed.slice(1).every((q) => q.body.length === 1)).toBe(true);
    // Nothing counted while nothing was acknowledged.
    expect(ids.every((id) => !rx.acked.some((e) => e.pedido_id === id))).toBe(true);

    await rx.setMode("ok");
    await caughtUp();
    const got = rx.acked.filter((e) => ids.includes(e.pedido_id)).map((e) => e.pedido_id);
    expect(got).toEqual(ids);
    // Back in batches once the head went through: the rest came in one request.
    expect(rx.requests.filter((q) => q.status === 200 && Array.isArray(q.body)).some((q) => q.body.length > 1)).toBe(true);
    expect(sinkRow()).toMatchObject({ attempts: 0, next_attempt_at: null });
  });

  it("times out a receiver that does not answer, and a closed port, and recovers", async () => {
    await rx.setMode("hang");
    const a = (await order("Sem resposta")).body.id;
    await waitUntil(() => /tempo limite de 300 ms/.test(sinkRow()?.last_error ?? ""), "a time-out");
    await rx.setMode("down");
    await waitUntil(() => /falha de rede/.test(sinkRow()?.last_error ?? ""), "a refused connection");
    const b = (await order("Porta fechada")).body.id;
    await rx.setMode("ok");
    await caughtUp();
    expect(rx.acked.filter((e) => e.pedido_id === a || e.pedido_id === b).map((e) => e.pedido_id)).toEqual([a, b]);
  });

  it("moves an event refused 8 times to the dead letter, goes on with the next, and re-enqueues it on request", async () => {
    await caughtUp();
    rx.rejectIf = (e) => e.cliente_nome === "Veneno";
    const poison = (await order("Veneno")).body.id;
    const next = (await order("Depois do veneno")).body.id;
    await rx.waitFor((acked) => acked.some((e) => e.pedido_id === next), 15_000, "the event after the poison");
    const dl = s.deps.db.raw.prepare("SELECT * FROM sync_dead_letters WHERE sink = 'http'").all() as any[];
    expect(dl).toHaveLength(1);
    expect(dl[0]).toMatchObject({ status: "dead", attempts: 8 });
    expect(dl[0].last_error).toContain("HTTP 422");
    const poisonEvent = dl[0].event_id;
    expect(rx.requests.filter((q) => q.status === 422 && q.body.some((e: any) => e.event_id === poisonEvent))).toHaveLength(8);
    expect(rx.acked.some((e) => e.pedido_id === poison)).toBe(false);

    const health = await s.request("GET", "/sync/health", { token: s.adminToken });
    expect(health.body).toMatchObject({ status: "degraded", reasons: ["dead_letter"], stats: { queue: { dead_letter: 1 } } });

    expect((await s.request("POST", "/sync/retry-dead-letter?event_id=999999", { token: s.adminToken })).body).toEqual({
      detail: "Evento dead_letter não encontrado",
    });
    expect((await s.request("POST", "/sync/retry-dead-letter", { token: s.adminToken })).status).toBe(400);
    expect((await s.request("POST", "/sync/retry-dead-letter?sink=ftp", { token: s.adminToken })).status).toBe(422);
    rx.rejectIf = null;
    const retry = await s.request("POST", `/sync/retry-dead-letter?event_id=${poisonEvent}`, { token: s.adminToken });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual({ message: "Evento reenfileirado", event_id: poisonEvent, count: 1 });
    await rx.waitFor((acked) => acked.some((e) => e.event_id === poisonEvent), 10_000, "the re-enqueued event");
    await waitUntil(
      () => (s.deps.db.raw.prepare("SELECT COUNT(*) AS n FROM sync_dead_letters").get() as any).n === 0,
      "the dead letter to go",
    );
    expect((await s.request("GET", "/sync/health", { token: s.adminToken })).body).toMatchObject({ status: "ok", reasons: [] });
    // Every dead letter of a sink at once: nothing to do now.
    expect((await s.request("POST", "/sync/retry-dead-letter?sink=http", { token: s.adminToken })).body).toMatchObject({
      sink: "http",
      count: 0,
    });
  });

  it("user writes emit server-only events: skipped by the push, never sent to sockets", async () => {
    await caughtUp();
    const ws = await wsConnect(`${s.wsUrl}/ws/orders?token=${s.adminToken}`);
    try {
      await ws.next((m) => m.type === "connected");
      const since = lastEventId();
      const u = await s.request("POST", "/users", {
        token: s.adminToken,
        body: { username: "sync-user", password: "sync-pass-123", setor: "impressao" },
      });
      expect(u.status).toBe(201);
      expect((await s.request("PATCH", `/users/${u.body.id}`, { token: s.adminToken, body: { username: "sync-user-2" } })).status).toBe(
        200,
      );
      const types = s.deps.db.raw.prepare("SELECT type, payload FROM event_log WHERE id > ? ORDER BY id").all(since) as any[];
      expect(types.map((t) => t.type)).toEqual(["user_changed", "user_changed"]);
      expect(JSON.parse(types[1].payload)).toMatchObject({
        type: "user_changed",
        user: { id: u.body.id, username: "sync-user-2", setor: "impressao" },
        previous_username: "sync-user",
      });
      expect(types.every((t) => !/password|hash|\$2[aby]\$/.test(t.payload))).toBe(true);
      const o = await order("Depois dos usuários");
      await ws.next((m) => m.type === "order_created" && m.order_id === o.body.id);
      expect(ws.messages.some((m) => String(m.type).startsWith("user_"))).toBe(false);
      // A replay from before the user events skips them as well.
      const replay = await wsConnect(`${s.wsUrl}/ws/orders?token=${s.adminToken}&since=${since}`);
      await replay.next((m) => m.type === "order_created" && m.order_id === o.body.id);
      expect(replay.messages.some((m) => String(m.type).startsWith("user_"))).toBe(false);
      replay.close();
      await caughtUp();
      expect(rx.acked.some((e) => e.event_id > since && e.event_id <= since + 2)).toBe(false);
    } finally {
      ws.close();
    }
  });

  it("resumes from its cursor after a restart: what was committed meanwhile is delivered, nothing acknowledged is sent again", async () => {
    await caughtUp();
    const ackedBefore = rx.acked.map((e) => e.event_id);
    await s.stop();
    // Orders committed while the server was down (by another program on the same file: no worker running).
    const config = loadConfig(
      {
        NODE_ENV: "test",
        DATABASE_URL: `file:${join(dir, "sgp.db")}`,
        MEDIA_ROOT: join(dir, "media"),
        SECRET_KEY: "test-secret-key-with-enough-length-0123456789",
      },
      dir,
    );
    const offline = openDeps(config, createLogger("silent"), []);
    const pending = offline.db.writeSync((tx) =>
      [0, 1, 2].map(
        (i) =>
          createOrder(tx, { cliente: `Reinício ${i}`, data_entrada: "2026-11-29", items: [] } as never, {
            id: 1,
            username: "admin",
            isAdmin: true,
          }).id,
      ),
    );
    offline.db.close();
    s = await startTestServer({ dir, env: env(rx.url) });
    await caughtUp();
    const after = rx.acked.slice(ackedBefore.length);
    expect(after.filter((e) => ackedBefore.includes(e.event_id))).toEqual([]);
    expect(after.map((e) => e.pedido_id)).toEqual(expect.arrayContaining(pending));
    // Every order event of the log reached the receiver, once each over the whole test (no crash happened).
    const orderEvents = (
      s.deps.db.raw
        .prepare(
          "SELECT e.id FROM event_log e WHERE e.type IN ('order_created','order_updated','order_status_updated','order_deleted') AND coalesce(json_extract(e.payload, '$.order.rascunho'), 0) = 0 ORDER BY e.id",
        )
        .all() as any[]
    ).map((r) => r.id);
    const ackedIds = rx.acked.map((e) => e.event_id);
    const draftDelete = new Set<number>(); // no draft was deleted in this file
    expect(orderEvents.filter((id) => !ackedIds.includes(id) && !draftDelete.has(id))).toEqual([]);
    expect(new Set(ackedIds).size).toBe(ackedIds.length);
  });

  it("answers admins only", async () => {
    const u = await s.createUser("sync-curioso", "curioso-pass-123");
    for (const [method, path] of [
      ["GET", "/sync/stats"],
      ["GET", "/sync/health"],
      ["POST", "/sync/retry-dead-letter?sink=http"],
    ] as const) {
      expect((await s.request(method, path, { token: u.token })).status).toBe(403);
      expect((await s.request(method, path)).status).toBe(401);
    }
  });
});
