// End-to-end realtime: real server, real `ws` clients. Events are emitted through the real commit path
// (`db.write(tx => tx.emit(...))`); order routes are exercised in test/load-realtime.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { sleep, upgradeStatus, wsConnect } from "./helpers/ws.ts";
import { TokenService } from "../lib/auth/tokens.ts";
import { notifyArtReady } from "../lib/events/notifications.ts";

let s: TestServer;
let alice: { id: number; token: string };
let bob: { id: number; token: string };

const emit = (type: string, orderId: number | null, payload: Record<string, unknown>) =>
  s.deps.db.write((tx) => tx.emit({ type, orderId, payload: { type, ...payload }, actor: null }).id);
const url = (token: string, extra = "") => `${s.wsUrl}/ws/orders?token=${encodeURIComponent(token)}${extra}`;
const peers = async () => (await s.request("GET", "/health")).body.realtime.peers as number;
async function untilPeers(n: number) {
  for (let i = 0; i < 200 && (await peers()) !== n; i++) await sleep(10);
  return peers();
}

beforeAll(async () => {
  s = await startTestServer({ env: { WS_MAX_SOCKETS_PER_USER: "1000" } }); // 50 clients of one user
  alice = await s.createUser("alice", "alice-pass-1");
  bob = await s.createUser("bob", "bob-pass-123");
});
afterAll(() => s.stop());

describe("upgrade authentication (before the handshake)", () => {
  it("refuses a missing, malformed, wrongly signed, expired or revoked token with HTTP 401 and opens no socket", async () => {
    const expired = (await new TokenService("test-secret-key-with-enough-length-0123456789", -5).sign({ id: alice.id, username: "alice" }))
      .token;
    const foreign = (await new TokenService("another-secret-another-secret-another", 60).sign({ id: alice.id, username: "alice" })).token;
    const revoked = await s.login("alice", "alice-pass-1");
    expect((await s.request("POST", "/auth/logout", { token: revoked })).status).toBeLessThan(300);
    expect(await upgradeStatus(`${s.wsUrl}/ws/orders`)).toBe(401);
    expect(await upgradeStatus(url("not-a-jwt"))).toBe(401);
    expect(await upgradeStatus(url(foreign))).toBe(401);
    expect(await upgradeStatus(url(expired))).toBe(401);
    expect(await upgradeStatus(url(revoked))).toBe(401);
    expect(await upgradeStatus(`${s.wsUrl}/ws/orders`, { headers: { authorization: "Bearer nope" } })).toBe(401);
    expect(await upgradeStatus(`${s.wsUrl}/ws/other?token=${alice.token}`)).toBe(404);
    expect(await upgradeStatus(url(alice.token, "&since=abc"))).toBe(400);
    expect(await peers()).toBe(0);
  });

  it("accepts the token as ?token=, Authorization: Bearer, or Sec-WebSocket-Protocol (echoing `bearer`)", async () => {
    const a = await wsConnect(url(alice.token));
    const b = await wsConnect(`${s.wsUrl}/ws/orders`, { headers: { authorization: `Bearer ${alice.token}` } });
    const c = await wsConnect(`${s.wsUrl}/ws/orders`, { protocols: ["bearer", alice.token] });
    expect(c.ws.protocol).toBe("bearer");
    const d = await wsConnect(`${s.wsUrl}/ws/orders/?token=${alice.token}`); // trailing slash, like HTTP routes
    // One user, many connections: all stay open.
    expect(await untilPeers(4)).toBe(4);
    for (const x of [a, b, c, d]) expect((await x.next()).type).toBe("connected");
    for (const x of [a, b, c, d]) x.close();
    expect(await untilPeers(0)).toBe(0);
  });
});

describe("protocol", () => {
  it("sends a first message at once, answers a JSON ping, and ignores what it does not understand", async () => {
    const a = await wsConnect(url(alice.token));
    const first = await a.next();
    expect(first).toEqual({ type: "connected", event_id: expect.any(Number) });
    a.ws.send(JSON.stringify({ type: "authenticate", token: alice.token }));
    a.ws.send(JSON.stringify({ type: "note", text: "shipping mapping ping" })); // not a ping: no substring test
    a.ws.send("[1,2]");
    a.ws.send("{broken");
    a.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    a.ws.send(JSON.stringify({ type: "ping", timestamp: Date.now() }));
    await a.next((m) => m.type === "pong");
    await sleep(50);
    expect(a.messages.filter((m) => m.type === "pong")).toHaveLength(1);
    expect(a.ws.readyState).toBe(a.ws.OPEN);
    a.close();
  });

  it("delivers a committed event to every connection with the original's shape plus event_id; a rollback sends nothing", async () => {
    const a1 = await wsConnect(url(alice.token));
    const a2 = await wsConnect(url(alice.token));
    const b = await wsConnect(url(bob.token));
    await Promise.all([a1, a2, b].map((c) => c.next()));
    await expect(
      s.deps.db.write((tx) => {
        tx.emit({ type: "order_updated", orderId: 99, payload: { type: "order_updated", order_id: 99 }, actor: null });
        throw new Error("rollback");
      }),
    ).rejects.toThrow("rollback");
    const order = { id: 7, numero: "0000000007", status: "pendente" };
    const id = await emit("order_created", 7, { order, order_id: 7, user_id: alice.id, username: "alice" });
    for (const c of [a1, a2, b]) {
      const m = await c.next((x) => x.type === "order_created");
      expect(m).toEqual({ type: "order_created", order, order_id: 7, user_id: alice.id, username: "alice", event_id: id });
      expect(Object.keys(m)).toEqual(["type", "order", "order_id", "user_id", "username", "event_id"]);
    }
    await sleep(30);
    for (const c of [a1, a2, b]) expect(c.messages.some((m) => m.order_id === 99)).toBe(false);
    for (const c of [a1, a2, b]) c.close();
  });

  it("caps oversized events to {type, order_id, event_id}", async () => {
    const a = await wsConnect(url(alice.token));
    await a.next();
    const id = await emit("order_updated", 8, { order: { id: 8, observacao: "x".repeat(600_000) }, order_id: 8 });
    const m = await a.next((x) => x.event_id === id);
    expect(m).toEqual({ type: "order_updated", order_id: 8, event_id: id });
    a.close();
  });

  it("delivers designer_art_ready only to its recipient, and serves the notification routes", async () => {
    const a = await wsConnect(url(alice.token));
    const b = await wsConnect(url(bob.token));
    await Promise.all([a.next(), b.next()]);
    const n = await s.deps.db.write((tx) =>
      notifyArtReady(tx, { recipientId: alice.id, orderId: 5, artId: 5001 }, { id: bob.id, username: "bob" }),
    );
    const got = await a.next((m) => m.type === "designer_art_ready");
    expect(got).toMatchObject({
      notification_id: n.notification_id,
      user_id: alice.id,
      order_id: 5,
      art_id: 5001,
      event_id: expect.any(Number),
    });
    const marker = await emit("order_updated", 6, { order_id: 6 });
    await b.next((m) => m.event_id === marker);
    expect(b.messages.some((m) => m.type === "designer_art_ready")).toBe(false);

    const list = await s.request("GET", "/api/notificacoes/designer?include_read=false&limit=50", { token: alice.token });
    expect(list.status).toBe(200);
    expect(list.body).toEqual([
      {
        id: n.id,
        notification_id: n.notification_id,
        user_id: alice.id,
        order_id: 5,
        art_id: 5001,
        tipo: "designer_art_ready",
        titulo: expect.any(String),
        mensagem: expect.any(String),
        visualizada: false,
        created_at: n.created_at,
        read_at: null,
      },
    ]);
    expect((await s.request("GET", "/api/notificacoes/designer", { token: bob.token })).body).toEqual([]);
    // Another user cannot mark it; the recipient can, idempotently.
    expect((await s.request("PATCH", `/api/notificacoes/${n.notification_id}/read`, { token: bob.token })).status).toBe(404);
    expect((await s.request("PATCH", `/api/notificacoes/${n.notification_id}/read`, { token: alice.token })).status).toBe(200);
    expect((await s.request("PATCH", `/api/notificacoes/${n.notification_id}/read`, { token: alice.token })).status).toBe(200);
    expect((await s.request("GET", "/api/notificacoes/designer", { token: alice.token })).body).toEqual([]);
    const all = await s.request("GET", "/api/notificacoes/designer?include_read=true", { token: alice.token });
    expect(all.body[0]).toMatchObject({ visualizada: true, read_at: expect.any(String) });
    await s.deps.db.write((tx) => notifyArtReady(tx, { recipientId: alice.id, orderId: 5, artId: null }, null));
    expect((await s.request("PATCH", "/api/notificacoes/read-all", { token: alice.token })).body).toEqual({
      success: true,
      atualizadas: 1,
    });
    expect((await s.request("GET", "/api/notificacoes/designer?limit=0", { token: alice.token })).status).toBe(422);
    expect((await s.request("GET", "/api/notificacoes/designer")).status).toBe(401);
    a.close();
    b.close();
  });

  it("GET /api/notificacoes/ultimos reads the database", async () => {
    expect((await s.request("GET", "/api/notificacoes/ultimos")).status).toBe(401);
    const id = await emit("order_created", 4242, { order_id: 4242 });
    await emit("order_deleted", 4242, { order_id: 4242 });
    const r = await s.request("GET", "/api/notificacoes/ultimos", { token: bob.token });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ ultimo_id: 4242, timestamp: expect.any(String), event_id: id + 1 });
  });
});

describe("replay with ?since=", () => {
  it("replays every missed event in order, then live ones", async () => {
    const a = await wsConnect(url(alice.token));
    const { event_id: before } = await a.next();
    a.close();
    await a.closed;
    const ids: number[] = [];
    for (let i = 0; i < 20; i++) ids.push(await emit("order_updated", 100 + i, { order_id: 100 + i }));
    const b = await wsConnect(url(alice.token, `&since=${before}`));
    const live = await emit("order_updated", 200, { order_id: 200 });
    const got = await b.waitFor((m) => typeof m.event_id === "number" && m.type !== "connected", 21);
    expect(got.map((m) => m.event_id)).toEqual([...ids, live]);
    expect(b.messages[0]).toEqual({ type: "connected", event_id: before }); // the cursor it resumes from
    b.close();
  });

  it("has no gap and no duplicate at the seam while events are being committed", async () => {
    const start = await emit("tick", null, {});
    let stop = false;
    const emitter = (async () => {
      while (!stop) {
        await emit("tick", null, {});
        await new Promise((r) => setImmediate(r));
      }
    })();
    const clients = await Promise.all(Array.from({ length: 10 }, () => wsConnect(url(bob.token, `&since=${start}`))));
    await sleep(100);
    stop = true;
    await emitter;
    const last = await emit("tick", null, { last: true });
    for (const c of clients) {
      await c.next((m) => m.event_id === last);
      const ids = c.messages.filter((m) => m.type === "tick").map((m) => m.event_id);
      expect(ids).toEqual(Array.from({ length: last - start }, (_, i) => start + 1 + i));
      c.close();
    }
  });
});

describe("relays from clients", () => {
  it("relays only whitelisted, truthful hints, with the sender identity set by the server, rate-limited", async () => {
    // Deletions in the log (before the sockets open, so they are not live events here): relays may announce them.
    for (const id of [777, ...Array.from({ length: 30 }, (_, i) => 1000 + i)]) await emit("order_deleted", id, { order_id: id });
    const a = await wsConnect(url(alice.token));
    const b = await wsConnect(url(bob.token));
    await Promise.all([a.next(), b.next()]);
    a.ws.send(JSON.stringify({ type: "order_deleted", order_id: 777, user_id: 1, username: "admin", broadcast: true }));
    const got = await b.next((m) => m.type === "order_deleted" && m.order_id === 777);
    expect(got).toEqual({ type: "order_deleted", order_id: 777, user_id: alice.id, username: "alice" });
    a.ws.send(JSON.stringify({ type: "order_updated", order_id: 777, broadcast: true }));
    a.ws.send(JSON.stringify({ type: "anything", broadcast: true }));
    a.ws.send(JSON.stringify({ type: "order_deleted", order_id: 778 })); // no broadcast flag
    for (let i = 0; i < 30; i++) a.ws.send(JSON.stringify({ type: "order_deleted", order_id: 1000 + i, broadcast: true }));
    const marker = await emit("marker", null, {});
    await b.next((m) => m.event_id === marker);
    await sleep(100);
    const relayed = b.messages.filter((m) => m.type === "order_deleted");
    expect(relayed.every((m) => m.user_id === alice.id)).toBe(true);
    expect(b.messages.some((m) => m.type === "order_updated" || m.type === "anything" || m.order_id === 778)).toBe(false);
    // burst of 10 per connection (one spent above) plus a little refill.
    expect(relayed.length).toBeGreaterThanOrEqual(5);
    expect(relayed.length).toBeLessThanOrEqual(13);
    expect(a.messages.some((m) => m.type === "order_deleted")).toBe(false); // never echoed to the sender
    a.close();
    b.close();
  });
});

describe("peers that misbehave", () => {
  it("drops a peer that stops reading once its send buffer passes the bound; the others get everything", async () => {
    const slow = await wsConnect(url(alice.token));
    const ok = await wsConnect(url(bob.token));
    await Promise.all([slow.next(), ok.next()]);
    expect(await untilPeers(2)).toBe(2);
    (slow.ws as any)._socket.pause(); // stops reading: kernel buffers fill, then the server's queue grows
    const big = { order: { observacao: "y".repeat(200_000) } };
    const ids: number[] = [];
    for (let i = 0; i < 150 && (await peers()) === 2; i++) ids.push(await emit("order_updated", 300, { ...big, order_id: 300 }));
    expect(await untilPeers(1)).toBe(1);
    const got = await ok.waitFor((m) => m.type === "order_updated" && m.order_id === 300, ids.length, 10_000);
    expect(got.map((m) => m.event_id)).toEqual(ids);
    (slow.ws as any)._socket.resume();
    ok.close();
    slow.ws.terminate();
  });

  it("50 clients dropping without a close frame mid-broadcast leave the server healthy, with 0 peers", async () => {
    const clients = await Promise.all(Array.from({ length: 50 }, () => wsConnect(url(bob.token))));
    expect(await untilPeers(50)).toBe(50);
    const burst = (async () => {
      for (let i = 0; i < 30; i++) {
        await emit("order_updated", 400 + i, { order_id: 400 + i, order: { pad: "z".repeat(5000) } });
        await sleep(1);
      }
    })();
    await sleep(5);
    for (const c of clients) (c.ws as any)._socket.destroy(); // abrupt: no close frame
    await burst;
    expect(await untilPeers(0)).toBe(0);
    const h = await s.request("GET", "/health");
    expect(h.status).toBe(200);
    const fresh = await wsConnect(url(bob.token));
    expect((await fresh.next()).type).toBe("connected");
    fresh.close();
  });
});

describe("graceful shutdown", () => {
  it("sends the last committed events, then closes every socket with 1001", async () => {
    const t = await startTestServer();
    const clients = await Promise.all(Array.from({ length: 5 }, () => wsConnect(`${t.wsUrl}/ws/orders?token=${t.adminToken}`)));
    await Promise.all(clients.map((c) => c.next()));
    const id = await t.deps.db.write(
      (tx) => tx.emit({ type: "order_deleted", orderId: 1, payload: { type: "order_deleted", order_id: 1 }, actor: null }).id,
    );
    await t.stop();
    for (const c of clients) {
      expect(await c.closed).toMatchObject({ code: 1001 });
      expect(c.messages.at(-1)).toEqual({ type: "order_deleted", order_id: 1, event_id: id });
    }
  });
});
