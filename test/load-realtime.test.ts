// The audit's load checklist, bounded, through the real order routes and real `ws` clients.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { sleep, wsConnect, type WsClient } from "./helpers/ws.ts";

let s: TestServer;
let user: { id: number; token: string };

const orderBody = (i: number, extra: Record<string, unknown> = {}) => ({
  cliente: `Cliente ${i}`,
  data_entrada: "2026-11-29",
  data_entrega: "2026-12-05",
  observacao: `carga ${i}`,
  items: [{ tipo_producao: "painel", descricao: `Painel ${i}`, designer: "Ana", vendedor: "Bia", valor_unitario: "100,00", quantity: 1 }],
  ...extra,
});
const connect = (n: number, extra = "") =>
  Promise.all(Array.from({ length: n }, () => wsConnect(`${s.wsUrl}/ws/orders?token=${user.token}${extra}`)));
const peers = async () => (await s.request("GET", "/health")).body.realtime.peers as number;
async function untilPeers(n: number) {
  for (let i = 0; i < 300 && (await peers()) !== n; i++) await sleep(10);
  return peers();
}
const eventsOf = (c: WsClient, type: string) => c.messages.filter((m) => m.type === type);

beforeAll(async () => {
  s = await startTestServer({ env: { WS_MAX_SOCKETS_PER_USER: "1000" } }); // the audit's load: many clients of one user
  user = await s.createUser("carga", "carga-pass-1");
});
afterAll(() => s.stop());

describe("audit load checklist", () => {
  it("50 clients + 100 orders created in parallel: each client gets exactly the 100 order_created, in commit order", async () => {
    const clients = await connect(50);
    await Promise.all(clients.map((c) => c.next()));
    const replies = await Promise.all(
      Array.from({ length: 100 }, (_, i) => s.request("POST", "/pedidos/", { body: orderBody(i), token: user.token })),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(100).fill(200));
    const created = new Set(replies.map((r) => r.body.id as number));
    expect(created.size).toBe(100);
    // Commit order = event id order in the log.
    const logged = await s.deps.db.read((q) =>
      q.all<{ id: number; order_id: number }>("SELECT id, order_id FROM event_log WHERE type = 'order_created' ORDER BY id"),
    );
    expect(logged).toHaveLength(100);
    for (const c of clients) {
      const got = await c.waitFor((m) => m.type === "order_created", 100, 10_000);
      expect(got.map((m) => [m.event_id, m.order_id])).toEqual(logged.map((e) => [e.id, e.order_id]));
      expect(new Set(got.map((m) => m.order_id))).toEqual(created);
      for (const m of got) expect(m).toMatchObject({ order: { id: m.order_id }, user_id: user.id, username: "carga" });
    }
    await sleep(100);
    for (const c of clients) expect(eventsOf(c, "order_created")).toHaveLength(100); // nothing late, nothing twice
    for (const c of clients) c.close();
    expect(await untilPeers(0)).toBe(0);
  });

  it("broadcasts an order with a very large payload to everyone: whole under the cap, reduced above it", async () => {
    const clients = await connect(20);
    await Promise.all(clients.map((c) => c.next()));
    const items = Array.from({ length: 150 }, (_, i) => ({
      tipo_producao: "painel",
      descricao: `Item ${i} ${"d".repeat(500)}`,
      designer: "Ana",
      valor_unitario: "1,00",
      quantity: 1,
    }));
    const big = await s.request("POST", "/pedidos/", { body: orderBody(1, { items }), token: user.token });
    expect(big.status).toBe(200);
    for (const c of clients) {
      const m = await c.next((x) => x.type === "order_created" && x.order_id === big.body.id);
      expect(m.order.items).toHaveLength(150);
    }
    // Above the 256 KiB message cap, within the order limits (each text ≤ 10,000 characters, ≤ 1 MB of items).
    const hugeItems = Array.from({ length: 40 }, (_, i) => ({
      tipo_producao: "painel",
      descricao: `Item ${i} ${"h".repeat(9_000)}`,
      quantity: 1,
    }));
    const huge = await s.request("PATCH", `/pedidos/${big.body.id}`, { body: { items: hugeItems }, token: user.token });
    expect(huge.status).toBe(200);
    for (const c of clients) {
      const m = await c.next((x) => x.type === "order_updated" && x.order_id === big.body.id);
      expect(m).toEqual({ type: "order_updated", order_id: big.body.id, event_id: expect.any(Number) });
    }
    expect((await s.request("GET", "/health")).status).toBe(200);
    for (const c of clients) c.close();
    expect(await untilPeers(0)).toBe(0);
  });

  it("50 clients dropping abruptly (no close frame) mid-broadcast: server healthy, peers back to 0", async () => {
    const order = (await s.request("POST", "/pedidos/", { body: orderBody(2), token: user.token })).body;
    const clients = await connect(50);
    const watcher = (await connect(1))[0];
    expect(await untilPeers(51)).toBe(51);
    const patches = Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        s.request("PATCH", `/pedidos/${order.id}`, { body: { observacao: `p${i}` }, token: user.token }),
      ),
    );
    await sleep(2);
    for (const c of clients) (c.ws as any)._socket.destroy();
    expect((await patches).every((r) => r.status === 200)).toBe(true);
    expect(await untilPeers(1)).toBe(1);
    await watcher.waitFor((m) => m.type === "order_updated" && m.order_id === order.id, 30, 10_000);
    expect((await s.request("GET", "/health")).body.status).toBe("ok");
    watcher.close();
    expect(await untilPeers(0)).toBe(0);
  });

  it("a client that missed 20 events gets all 20 replayed with ?since=, then live ones", async () => {
    const order = (await s.request("POST", "/pedidos/", { body: orderBody(3), token: user.token })).body;
    const [c] = await connect(1);
    const { event_id: seen } = await c.next();
    c.close();
    await c.closed;
    for (let i = 0; i < 20; i++) {
      expect((await s.request("PATCH", `/pedidos/${order.id}`, { body: { observacao: `miss ${i}` }, token: user.token })).status).toBe(200);
    }
    const missed = await s.deps.db.read((q) => q.all<{ id: number }>("SELECT id FROM event_log WHERE id > ? ORDER BY id", seen));
    expect(missed).toHaveLength(20);
    const [back] = await connect(1, `&since=${seen}`);
    const replayed = await back.waitFor((m) => m.type === "order_updated", 20);
    expect(replayed.map((m) => m.event_id)).toEqual(missed.map((e) => e.id));
    expect(replayed.map((m) => m.order.observacao)).toEqual(Array.from({ length: 20 }, (_, i) => `miss ${i}`));
    await s.request("PATCH", `/pedidos/${order.id}`, { body: { observacao: "live" }, token: user.token });
    const live = await back.next((m) => m.type === "order_updated" && m.order?.observacao === "live");
    expect(live.event_id).toBe(missed[19].id + 1);
    expect(eventsOf(back, "order_updated")).toHaveLength(21);
    back.close();
  });
});

describe("delete and the client's relay", () => {
  it("a real DELETE reaches everyone from the log; the client's order_deleted relay passes only once the order is gone", async () => {
    const order = (await s.request("POST", "/pedidos/", { body: orderBody(4), token: user.token })).body;
    const [deleter, other] = await Promise.all([
      wsConnect(`${s.wsUrl}/ws/orders?token=${s.adminToken}`),
      wsConnect(`${s.wsUrl}/ws/orders?token=${user.token}`),
    ]);
    await Promise.all([deleter.next(), other.next()]);
    const relay = JSON.stringify({ type: "order_deleted", order_id: order.id, user_id: 999, timestamp: Date.now(), broadcast: true });
    deleter.ws.send(relay); // the order still exists: a phantom, not relayed
    expect((await s.request("DELETE", `/pedidos/${order.id}`, { token: s.adminToken })).status).toBeLessThan(300);
    const logged = await other.next((m) => m.type === "order_deleted" && m.event_id);
    expect(logged).toEqual({ type: "order_deleted", order_id: order.id, event_id: expect.any(Number) });
    deleter.ws.send(relay);
    const relayed = await other.next((m) => m.type === "order_deleted" && !m.event_id);
    expect(relayed).toMatchObject({ order_id: order.id, user_id: 1, username: "admin" });
    await sleep(50);
    expect(other.messages.filter((m) => m.type === "order_deleted")).toHaveLength(2);
    deleter.close();
    other.close();
  });
});

describe("designer 'art ready' notification, end to end", () => {
  it("releasing an item's art notifies the order's creator on the socket and in GET /api/notificacoes/designer", async () => {
    const order = (await s.request("POST", "/pedidos/", { body: orderBody(5), token: user.token })).body;
    const itemId = order.items[0].id as number;
    const [creator, other] = await Promise.all([
      wsConnect(`${s.wsUrl}/ws/orders?token=${user.token}`),
      wsConnect(`${s.wsUrl}/ws/orders?token=${s.adminToken}`),
    ]);
    await Promise.all([creator.next(), other.next()]);
    const released = await s.request("PATCH", `/designers/itens/${itemId}/status-arte`, {
      body: { status_arte: "liberado" },
      token: s.adminToken,
    });
    expect(released.status).toBe(200);
    const note = await creator.next((m) => m.type === "designer_art_ready");
    expect(note).toMatchObject({
      user_id: user.id,
      order_id: order.id,
      art_id: itemId,
      notification_id: expect.any(String),
      event_id: expect.any(Number),
    });
    await other.next((m) => m.type === "order_updated" && m.order_id === order.id);
    await sleep(50);
    expect(other.messages.some((m) => m.type === "designer_art_ready")).toBe(false);
    const list = await s.request("GET", "/api/notificacoes/designer?include_read=false&limit=50", { token: user.token });
    expect(list.body.map((n: any) => n.notification_id)).toContain(note.notification_id);
    creator.close();
    other.close();
  });
});
