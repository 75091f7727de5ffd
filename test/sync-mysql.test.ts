// The MySQL mirror against a real MariaDB started here: tables created when missing, orders with items_json and
// 300×300 JPEG thumbnails, updates and deletes, drafts, users without password material, the server going away
// and coming back, the backfill, and the per-sink figures for /metrics.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Jimp } from "jimp";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { startMariaDb, type TestMariaDb } from "./helpers/mariadb.ts";
import { startReceiver } from "./helpers/http-receiver.ts";
import { dataUrl, makePng } from "./helpers/images.ts";
import { loadConfig } from "../lib/config.ts";
import { createLogger } from "../lib/log.ts";
import { openDeps } from "../runtime/server.ts";
import { backfillSink, syncFigures, type BackfillProgress } from "../lib/sync/index.ts";
import { imageDimensions } from "../lib/sync/thumbnails.ts";

let my: TestMariaDb;
let s: TestServer;

const env = (url: string) => ({
  SYNC_MYSQL_URL: url,
  SYNC_MYSQL_TIMEOUT_MS: "2000",
  // 8 attempts span ~3.5 s: longer than MariaDB takes to come back in the outage test, even on a busy machine.
  SYNC_BACKOFF_BASE_MS: "50",
  SYNC_BACKOFF_MAX_MS: "1000",
  SYNC_POLL_INTERVAL_MS: "50",
  SYNC_LEASE_MS: "5000",
});

const sinkRow = () => s.deps.db.raw.prepare("SELECT * FROM sync_sinks WHERE sink = 'mysql'").get() as any;
const head = () => Number((s.deps.db.raw.prepare("SELECT coalesce(max(id), 0) AS n FROM event_log").get() as any).n);
const waitUntil = async (pred: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};
const caughtUp = () => waitUntil(() => sinkRow()?.cursor === head(), "the mysql cursor to reach the head");
const mirrorOrder = async (id: number, db?: string) =>
  (await my.query<any[]>("SELECT * FROM pwa_pedidos WHERE pedido_id = ?", [id], db))[0] ?? null;
const mirrorImages = (id: number, db?: string) =>
  my.query<any[]>("SELECT * FROM pwa_pedido_imagens WHERE pedido_id = ? ORDER BY id", [id], db);

const item = (extra: Record<string, unknown> = {}) => ({
  tipo_producao: "lona",
  descricao: "Faixa",
  valor_unitario: "10.50",
  quantidade_lona: "2",
  ...extra,
});
const createOrder = (srv: TestServer, body: Record<string, unknown>) =>
  srv.request("POST", "/pedidos/", { token: srv.adminToken, body: { data_entrada: "2026-11-29", items: [item()], ...body } });

/** The mirror row must say what our order says (computed here from the API's answer, not by the code under test). */
function expectMirrors(row: any, o: any) {
  expect(row).toMatchObject({
    pedido_id: o.id,
    numero: o.numero,
    cliente: o.cliente,
    status: o.status,
    valor_total: o.valor_total,
    valor_frete: o.valor_frete,
    valor_itens: o.valor_itens,
    prioridade: o.prioridade,
    data_entrada: o.data_entrada,
    forma_envio_id: o.forma_envio_id,
    financeiro: o.financeiro ? 1 : 0,
    pronto: o.pronto ? 1 : 0,
    observacao: o.observacao,
    cidade_cliente: o.estado_cliente ? `${o.cidade_cliente ?? ""}||${o.estado_cliente}` : o.cidade_cliente,
  });
  expect(row.ultima_atualizacao).toBe(o.ultima_atualizacao.slice(0, 19).replace("T", " "));
  const items = JSON.parse(row.items_json);
  expect(items.map((i: any) => i.id)).toEqual(o.items.map((i: any) => i.id));
  expect(row.items_json).not.toMatch(/data:image/);
}

beforeAll(async () => {
  my = await startMariaDb();
  s = await startTestServer({ env: env(my.url) });
}, 60_000);

afterAll(async () => {
  await s?.stop();
  await my?.stop();
});

describe("MySQL mirror", () => {
  it("creates the original's tables when missing, and mirrors the bootstrap admin without password", async () => {
    await caughtUp();
    const tables = (await my.query<any[]>("SHOW TABLES")).map((r) => Object.values(r)[0]).sort();
    expect(tables).toEqual(["pwa_pedido_imagens", "pwa_pedidos", "pwa_users", "sgp_sync_state"]);
    const users = await my.query<any[]>("SELECT username, password, is_admin, is_active FROM pwa_users");
    expect(users).toEqual([{ username: "admin", password: null, is_admin: 1, is_active: 1 }]);
    const state = (await my.query<any[]>("SELECT last_event_id FROM sgp_sync_state WHERE id = 1"))[0];
    expect(Number(state.last_event_id)).toBeGreaterThanOrEqual(sinkRow().cursor);
  });

  it("mirrors an order with items_json (no data URLs) and a 300×300 JPEG thumbnail per image", async () => {
    const r = await createOrder(s, {
      cliente: "Ótica Visão",
      cidade_cliente: "Vitória",
      estado_cliente: "ES",
      observacao: "urgente",
      items: [item({ imagem: dataUrl(makePng(1200, 600)) }), item({ descricao: "Sem imagem" })],
    });
    expect(r.status).toBe(200);
    await caughtUp();
    expectMirrors(await mirrorOrder(r.body.id), r.body);
    const imgs = await mirrorImages(r.body.id);
    expect(imgs).toHaveLength(1);
    const ours = s.deps.db.raw.prepare("SELECT filename, item_index FROM pedido_imagens WHERE pedido_id = ?").get(r.body.id) as any;
    expect(imgs[0]).toMatchObject({ mime_type: "image/jpeg", filename: ours.filename, item_index: ours.item_index });
    const jpeg = Buffer.from(imgs[0].image_base64, "base64");
    expect(imageDimensions(jpeg)).toEqual({ width: 300, height: 150, type: "jpeg" });
    const decoded = await Jimp.fromBuffer(jpeg);
    expect([decoded.width, decoded.height]).toEqual([300, 150]);
  });

  it("follows updates (kept images are not re-sent), image replacements, drafts, promotions and deletes", async () => {
    const r = await createOrder(s, { cliente: "Acompanha", items: [item({ imagem: dataUrl(makePng(40, 40)) })] });
    await caughtUp();
    const [first] = await mirrorImages(r.body.id);
    expect(first.image_base64.length).toBeGreaterThan(100);

    const up = await s.request("PATCH", `/pedidos/${r.body.id}`, {
      token: s.adminToken,
      body: { cliente: "Acompanha Ltda", status: "pronto", pronto: true },
    });
    expect(up.status).toBe(200);
    await caughtUp();
    expectMirrors(await mirrorOrder(r.body.id), up.body);
    expect((await mirrorImages(r.body.id)).map((i) => i.id)).toEqual([first.id]);

    const itemId = up.body.items[0].id;
    const swap = await s.request("PATCH", `/pedidos/${r.body.id}`, {
      token: s.adminToken,
      body: { items: [{ ...up.body.items[0], id: itemId, imagem: dataUrl(makePng(800, 800)) }] },
    });
    expect(swap.status).toBe(200);
    await caughtUp();
    const after = await mirrorImages(r.body.id);
    expect(after).toHaveLength(1);
    expect(after[0].id).not.toBe(first.id);
    expect(imageDimensions(Buffer.from(after[0].image_base64, "base64"))).toMatchObject({ width: 300, height: 300 });

    const draft = await s.request("POST", "/pedidos/rascunho", { token: s.adminToken, body: { cliente: "Rascunho", items: [] } });
    await caughtUp();
    expect(await mirrorOrder(draft.body.id)).toBeNull();
    const promoted = await s.request("POST", `/pedidos/${draft.body.id}/promover`, { token: s.adminToken });
    expect(promoted.status).toBe(200);
    await caughtUp();
    expectMirrors(await mirrorOrder(draft.body.id), promoted.body);

    expect((await s.request("DELETE", `/pedidos/${r.body.id}`, { token: s.adminToken })).status).toBe(200);
    await caughtUp();
    expect(await mirrorOrder(r.body.id)).toBeNull();
    expect(await mirrorImages(r.body.id)).toEqual([]);
  });

  it("cuts items_json above 60 KB to the essential fields", async () => {
    const big = Array.from({ length: 8 }, (_, i) =>
      item({ descricao: `Item ${i}`, observacao: "x".repeat(9_000), item_identificador: `it-${i}` }),
    );
    const r = await createOrder(s, { cliente: "Grande", items: big });
    expect(r.status).toBe(200);
    await caughtUp();
    const row = await mirrorOrder(r.body.id);
    const items = JSON.parse(row.items_json);
    expect(Buffer.byteLength(row.items_json)).toBeLessThanOrEqual(60_000);
    expect(items).toHaveLength(8);
    expect(Object.keys(items[0]).sort()).toEqual([
      "altura",
      "descricao",
      "id",
      "item_identificador",
      "largura",
      "tipo_producao",
      "valor_unitario",
    ]);
    expect(items[3]).toMatchObject({ descricao: "Item 3", item_identificador: "it-3", id: r.body.items[3].id });
  });

  it("follows users: created, renamed, deactivated, deleted; never a password", async () => {
    const u = await s.request("POST", "/users", {
      token: s.adminToken,
      body: { username: "espelho", password: "espelho-pass-1", is_admin: false },
    });
    expect(u.status).toBe(201);
    await caughtUp();
    expect(await my.query("SELECT username, password, is_admin, is_active FROM pwa_users WHERE username = 'espelho'")).toEqual([
      { username: "espelho", password: null, is_admin: 0, is_active: 1 },
    ]);
    await s.request("PATCH", `/users/${u.body.id}`, {
      token: s.adminToken,
      body: { username: "espelho2", is_active: false, password: "outra-senha-123" },
    });
    await caughtUp();
    expect(await my.query("SELECT username, password, is_active FROM pwa_users WHERE username LIKE 'espelho%'")).toEqual([
      { username: "espelho2", password: null, is_active: 0 },
    ]);
    await s.request("DELETE", `/users/${u.body.id}`, { token: s.adminToken });
    await caughtUp();
    expect(await my.query("SELECT username FROM pwa_users WHERE username LIKE 'espelho%'")).toEqual([]);
  });

  it("retries while MariaDB is down, and delivers once it is back (COMMIT is the acknowledgement)", async () => {
    await caughtUp();
    const cursorBefore = sinkRow().cursor;
    await my.kill();
    const r = await createOrder(s, { cliente: "Durante a queda" });
    await waitUntil(() => (sinkRow()?.attempts ?? 0) >= 2, "failed attempts while MariaDB is down");
    expect(sinkRow().cursor).toBe(cursorBefore);
    expect(sinkRow().last_error).toMatch(/ECONNREFUSED|connect|Connection/i);
    await my.start();
    await caughtUp();
    expect(s.deps.db.raw.prepare("SELECT COUNT(*) AS n FROM sync_dead_letters").get()).toMatchObject({ n: 0 });
    expectMirrors(await mirrorOrder(r.body.id), r.body);
    const state = (await my.query<any[]>("SELECT last_event_id FROM sgp_sync_state WHERE id = 1"))[0];
    expect(Number(state.last_event_id)).toBe(sinkRow().cursor);
    expect(sinkRow()).toMatchObject({ attempts: 0 });
  });

  it("reports per-sink figures for /metrics", async () => {
    await caughtUp();
    const [f] = await syncFigures(s.deps.db, s.deps.config);
    expect(f).toMatchObject({
      sink: "mysql",
      configured: true,
      cursor: head(),
      pending: 0,
      retrying: 0,
      dead_letters: 0,
      oldest_pending_age_seconds: null,
    });
    expect(f.delivered).toBeGreaterThan(5);
  });
});

describe("backfill", () => {
  it("sends the current state of every order and user to a new sink, removes what we do not have, clears passwords", async () => {
    // A shop that ran without sync: orders, a draft, users.
    const dir = mkdtempSync(join(tmpdir(), "sgp-backfill-"));
    const plain = await startTestServer({ dir });
    const orders: any[] = [];
    try {
      for (let i = 0; i < 5; i++)
        orders.push(
          (await createOrder(plain, { cliente: `Antigo ${i}`, items: [item(i === 0 ? { imagem: dataUrl(makePng(500, 250)) } : {})] })).body,
        );
      const edited = await plain.request("PATCH", `/pedidos/${orders[1].id}`, { token: plain.adminToken, body: { status: "entregue" } });
      orders[1] = edited.body;
      await plain.request("POST", "/pedidos/rascunho", { token: plain.adminToken, body: { cliente: "Rascunho antigo" } });
      await plain.request("POST", "/users", { token: plain.adminToken, body: { username: "antiga", password: "antiga-pass-123" } });
    } finally {
      await plain.stop();
    }
    const url = await my.createDatabase("sgp_backfill");
    // What the original left there: a password hash, an order we do not have.
    const c = await my.connect("sgp_backfill");
    await c.query(
      "CREATE TABLE pwa_users (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, username VARCHAR(150) NULL, password VARCHAR(255) NULL, is_admin TINYINT(1), is_active TINYINT(1), created_at DATETIME, updated_at DATETIME, UNIQUE INDEX ix_pwa_users_username (username))",
    );
    await c.query(
      "INSERT INTO pwa_users (username, password, is_admin, is_active) VALUES ('antiga', '$2b$12$abcdefghijklmnopqrstuv', 0, 1), ('sumiu', '$2b$12$zzz', 0, 1)",
    );
    await c.end();

    const rx = await startReceiver();
    const config = loadConfig(
      {
        NODE_ENV: "test",
        DATABASE_URL: `file:${join(dir, "sgp.db")}`,
        MEDIA_ROOT: join(dir, "media"),
        SECRET_KEY: "test-secret-key-with-enough-length-0123456789",
        ...env(url),
        SYNC_HTTP_URL: rx.url,
        SYNC_HTTP_TIMEOUT_MS: "1000",
      },
      dir,
    );
    const deps = openDeps(config, createLogger("silent"), []);
    try {
      // A stale order row the mirror has and we do not (created once our tables exist).
      const progress: BackfillProgress[] = [];
      const result = await backfillSink(deps, "mysql", { batchSize: 2, onProgress: (p) => progress.push(p) });
      expect(result).toMatchObject({ sink: "mysql", orders: 5, users: 2, removed: { orders: 0, users: 1 }, clearedPasswords: 0 });
      const done = progress.filter((p) => p.phase === "orders").map((p) => p.done);
      expect(done).toEqual([0, 2, 4, 5]);
      expect(progress.every((p) => p.done <= p.total)).toBe(true);
      for (const o of orders) expectMirrors(await mirrorOrder(o.id, "sgp_backfill"), o);
      expect(await my.query("SELECT COUNT(*) AS n FROM pwa_pedidos", [], "sgp_backfill")).toEqual([{ n: 5 }]);
      expect((await mirrorImages(orders[0].id, "sgp_backfill")).length).toBe(1);
      expect(await my.query("SELECT username, password FROM pwa_users ORDER BY username", [], "sgp_backfill")).toEqual([
        { username: "admin", password: null },
        { username: "antiga", password: null },
      ]);

      // Run again after a row appeared that we do not have: removed; everything else unchanged (idempotent).
      await my.query("INSERT INTO pwa_pedidos (pedido_id, numero, cliente) VALUES (999999, '9999999999', 'Fantasma')", [], "sgp_backfill");
      const again = await backfillSink(deps, "mysql", { batchSize: 50 });
      expect(again.removed).toEqual({ orders: 1, users: 0 });
      expect(await mirrorOrder(999999, "sgp_backfill")).toBeNull();

      // The HTTP push: one element per order, labelled with the order's last event id.
      const http = await backfillSink(deps, "http", { batchSize: 3 });
      expect(http.orders).toBe(5);
      expect(rx.requests).toHaveLength(2);
      expect(rx.requests.map((q) => q.headers["idempotency-key"])).toEqual([
        expect.stringMatching(/^backfill-\w+-1$/),
        expect.stringMatching(/^backfill-\w+-2$/),
      ]);
      const lastEvents = new Map(
        (
          deps.db.raw.prepare("SELECT order_id, MAX(id) AS id FROM event_log WHERE order_id IS NOT NULL GROUP BY order_id").all() as any[]
        ).map((r) => [r.order_id, r.id]),
      );
      expect(rx.acked.map((e) => [e.pedido_id, e.status, e.event_id])).toEqual(orders.map((o) => [o.id, o.status, lastEvents.get(o.id)]));
      // Both cursors exist now: later changes flow through the worker.
      expect((deps.db.raw.prepare("SELECT sink FROM sync_sinks ORDER BY sink").all() as any[]).map((r) => r.sink)).toEqual([
        "http",
        "mysql",
      ]);
      await expect(
        backfillSink({ ...deps, config: { ...deps.config, sync: { ...deps.config.sync, httpUrl: null } } }, "http"),
      ).rejects.toThrow(/não configurado/);
    } finally {
      deps.db.close();
      await rx.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
