// Review findings on the realtime path (hub, /ws/orders, upgrade), each pinned by a test that failed before its fix.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect as tcpConnect } from "node:net";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { sleep, wsConnect } from "./helpers/ws.ts";
import { TokenService } from "../lib/auth/tokens.ts";
import { Hub } from "../lib/events/hub.ts";
import type { MessageBatch, SocketConnection } from "../lib/events/socket.ts";
import { createLogger } from "../lib/log.ts";

/** An in-memory peer that reads everything at once (for the hub's seam, driven microtask by microtask). */
class FakeConn implements SocketConnection {
  frames: string[] = [];
  closedWith: number | null = null;
  send(data: string | Buffer) {
    this.frames.push(data.toString());
  }
  sendBatch(batch: MessageBatch) {
    for (const m of batch.messages) this.send(m);
  }
  bufferedBytes() {
    return 0;
  }
  waitForDrain() {
    return Promise.resolve();
  }
  close(code: number) {
    this.closedWith = code;
  }
  terminate() {}
  ids(type: string) {
    return this.frames
      .map((f) => JSON.parse(f))
      .filter((m) => m.type === type)
      .map((m) => m.event_id as number);
  }
}

let s: TestServer;
let alice: { id: number; token: string };

const url = (token: string, extra = "") => `${s.wsUrl}/ws/orders?token=${encodeURIComponent(token)}${extra}`;
const emit = (type: string, orderId: number | null, payload: Record<string, unknown>) =>
  s.deps.db.write((tx) => tx.emit({ type, orderId, payload: { type, ...payload }, actor: null }).id);

beforeAll(async () => {
  s = await startTestServer();
  alice = await s.createUser("alice", "alice-pass-1");
});
afterAll(() => s.stop());

describe("upgrade", () => {
  it("a client resetting its connection while the upgrade is being authenticated does not crash the server", async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => uncaught.push(err);
    process.on("uncaughtException", onUncaught);
    try {
      const { port } = new URL(s.url);
      // Fresh tokens (never verified, so the JWT check is a thread-pool round trip): the reset lands meanwhile.
      const tokens = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          new TokenService("another-secret-another-secret-another", 60).sign({ id: 1, username: `x${i}` }),
        ),
      );
      await Promise.all(
        tokens.map(
          ({ token }) =>
            new Promise<void>((done) => {
              const sock = tcpConnect(Number(port), "127.0.0.1", () => {
                sock.write(
                  `GET /ws/orders?token=${token} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
                    `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
                  () => setImmediate(() => sock.resetAndDestroy()),
                );
              });
              sock.on("error", () => {});
              sock.on("close", () => done());
            }),
        ),
      );
      await sleep(300);
      expect(uncaught).toEqual([]);
      expect((await s.request("GET", "/health")).status).toBe(200);
    } finally {
      process.off("uncaughtException", onUncaught);
    }
  });
});

describe("replay cursor", () => {
  it("every event_id a peer has received is a safe ?since= cursor, the first message of a replay included", async () => {
    const since = await emit("cursor", 1, { order_id: 1 });
    const missed: number[] = [];
    for (let i = 0; i < 5; i++) missed.push(await emit("cursor", 1, { order_id: 1 }));
    const a = await wsConnect(url(alice.token, `&since=${since}`));
    const first = await a.next();
    expect(first.type).toBe("connected");
    a.ws.terminate(); // drops right after the first message, as a flaky network would
    // The client resumes from the last event_id it received (what the server's 400 message tells it to do).
    const b = await wsConnect(url(alice.token, `&since=${first.event_id}`));
    const got = await b.waitFor((m) => m.type === "cursor", missed.length);
    expect(got.map((m) => m.event_id)).toEqual(missed);
    b.close();
  });
});

describe("hub seam", () => {
  it("a commit larger than the backlog landing at any point of a ?since= join is still delivered, once, in order", async () => {
    const emitMany = (n: number) =>
      s.deps.db.writeSync((tx) => {
        let id = 0;
        for (let i = 0; i < n; i++) id = tx.emit({ type: "seam", orderId: i, payload: { type: "seam", order_id: i }, actor: null }).id;
        return id;
      });
    for (let hop = 0; hop < 12; hop++) {
      const hub = new Hub(s.deps.db, createLogger("silent"), { pingIntervalMs: 0 });
      hub.start();
      const since = emitMany(1);
      emitMany(3); // missed: a short replay
      const c = new FakeConn();
      const joined = hub.join(c, alice.id, since);
      // A batch commit (batch-status of many orders emits one event per order) after `hop` microtasks.
      let p: Promise<unknown> = Promise.resolve();
      for (let i = 0; i < hop; i++) p = p.then(() => undefined);
      await p.then(() => emitMany(1_500));
      await joined;
      const last = emitMany(1);
      await hub.flush();
      expect(c.ids("seam"), `hop ${hop}`).toEqual(Array.from({ length: last - since }, (_, i) => since + 1 + i));
      hub.close();
    }
  });

  it("a peer that joins once the hub is closing is closed with 1001 at once, not left open without events", async () => {
    const hub = new Hub(s.deps.db, createLogger("silent"), { pingIntervalMs: 0 });
    hub.start();
    hub.close(1001, "Servidor reiniciando");
    const c = new FakeConn();
    await hub.join(c, alice.id, null);
    expect(c.closedWith).toBe(1001);
    expect(hub.size).toBe(0);
  });
});

describe("relays", () => {
  it("a relay cannot carry a forged event_id (the ?since= cursor of the others) or content the server did not check", async () => {
    const bob = await s.createUser("bob", "bob-pass-123");
    await emit("order_deleted", 4711, { order_id: 4711 }); // a deletion the log holds (relays may announce only those)
    const a = await wsConnect(url(alice.token));
    const b = await wsConnect(url(bob.token));
    await Promise.all([a.next(), b.next()]);
    a.ws.send(
      JSON.stringify({
        type: "order_deleted",
        order_id: 4711,
        user_id: alice.id,
        timestamp: 1767225600000,
        broadcast: true,
        event_id: 999_999,
        order: { id: 4711, numero: "0000004711", status: "pronto" },
        message: "Pedido cancelado pelo gerente",
      }),
    );
    const got = await b.next((m) => m.type === "order_deleted" && m.order_id === 4711);
    expect(got).toEqual({ type: "order_deleted", order_id: 4711, timestamp: 1767225600000, user_id: alice.id, username: "alice" });
    a.close();
    b.close();
  });
});

describe("bounds", () => {
  it("a client that pings without reading is dropped once its pongs pass the send-buffer bound", async () => {
    const peers = async () => (await s.request("GET", "/health")).body.realtime.peers as number;
    for (let i = 0; i < 200 && (await peers()) !== 0; i++) await sleep(10); // earlier tests' sockets are gone
    const before = await peers();
    expect(before).toBe(0);
    const c = await wsConnect(url(alice.token));
    await c.next();
    expect(await peers()).toBe(1);
    (c.ws as any)._socket.pause(); // stops reading: the pongs pile up on the server
    let dropped = false;
    // Each bare "ping" costs ~10 bytes in and its pong ~17 bytes out: 80k pings ≈ 1.4 MB over the kernel buffers.
    for (let round = 0; round < 40 && !dropped; round++) {
      for (let i = 0; i < 20_000; i++) c.ws.send("ping");
      await sleep(50);
      dropped = (await peers()) === before;
    }
    expect(dropped).toBe(true);
    c.ws.terminate();
  }, 30_000);
});
