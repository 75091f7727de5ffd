// Issue 15: no socket or user can make the realtime hub hold unbounded memory, and sockets only open from the
// origins CORS allows. The hub's bounds with in-memory peers on a real database (deterministic: a fake peer can
// stop reading without kernel buffers in between), the upgrade's with a real server and real sockets.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase, type Db } from "../lib/db/connection.ts";
import { migrate } from "../lib/db/migrate.ts";
import { createLogger } from "../lib/log.ts";
import { Hub } from "../lib/events/hub.ts";
import { replayPage } from "../lib/events/log.ts";
import type { MessageBatch, SocketConnection } from "../lib/events/socket.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { sleep, upgradeStatus, wsConnect } from "./helpers/ws.ts";

/** A peer that can stop reading: what it is sent piles up in `buffered` until `drain()`. */
class FakeConn implements SocketConnection {
  messages: string[] = [];
  batches = 0;
  buffered = 0;
  reading = true;
  terminated = false;
  closedWith: number | null = null;
  private waiters: (() => void)[] = [];
  send(data: string | Buffer) {
    this.messages.push(data.toString());
    if (!this.reading) this.buffered += data.length;
  }
  sendBatch(batch: MessageBatch) {
    this.batches++;
    for (const m of batch.messages) this.send(m);
  }
  bufferedBytes() {
    return this.buffered;
  }
  waitForDrain() {
    return this.reading ? Promise.resolve() : new Promise<void>((r) => this.waiters.push(r));
  }
  drain() {
    this.reading = true;
    this.buffered = 0;
    for (const w of this.waiters.splice(0)) w();
  }
  close(code: number) {
    this.closedWith = code;
  }
  terminate() {
    this.terminated = true;
  }
  get eventIds() {
    return this.messages
      .map((m) => JSON.parse(m))
      .filter((m) => typeof m.event_id === "number" && m.type === "big")
      .map((m) => m.event_id as number);
  }
}

let dir: string;
let db: Db;
const log = createLogger("silent");
const big = (n: number, bytes: number) =>
  db.writeSync((tx) => {
    let id = 0;
    for (let i = 0; i < n; i++)
      id = tx.emit({
        type: "big",
        orderId: i,
        payload: { type: "big", order_id: i, order: { observacao: "x".repeat(bytes) } },
        actor: null,
      }).id;
    return id;
  });
const lastId = () => db.writeSync((tx) => tx.get<{ id: number }>("SELECT MAX(id) AS id FROM event_log")?.id ?? 0);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sgp-bounds-"));
  db = openDatabase(join(dir, "hub.db"));
  migrate(db, log);
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("replays, bounded in bytes", () => {
  it("reads a page by its payload bytes, and leaves too-large payloads unread (their heads go out)", () => {
    const since = lastId();
    big(10, 100_000);
    big(2, 300_000); // above the 256 KiB message cap
    const read = db.writeSync((tx) => replayPage(tx, since, 256 * 1024, 256 * 1024));
    expect(read.length).toBe(2); // 2 × 100 KB fit the page, a third would not
    expect(read.every((e) => e.payloadJson !== null)).toBe(true);
    const tail = db.writeSync((tx) => replayPage(tx, since + 10, 256 * 1024, 256 * 1024));
    expect(tail.map((e) => e.payloadJson)).toEqual([null, null]);
  });

  it("sends one page, then waits for the socket to drain before reading the next", async () => {
    const hub = new Hub(db, log, { pingIntervalMs: 0, replayPageBytes: 256 * 1024 });
    hub.start();
    const since = lastId();
    const last = big(20, 150_000); // 3 MB in all
    const c = new FakeConn();
    c.reading = false;
    const joined = hub.join(c, 1, since);
    await sleep(50);
    // At most one page (≤ 256 KiB of payloads, so 1 event of 150 KB... plus the one that crosses) is in memory.
    expect(c.eventIds.length).toBeLessThanOrEqual(2);
    expect(c.buffered).toBeLessThan(400_000);
    for (let i = 0; i < 40 && !c.eventIds.includes(last); i++) {
      c.drain();
      c.reading = false;
      await sleep(5);
    }
    c.drain();
    await joined;
    expect(c.eventIds).toEqual(Array.from({ length: 20 }, (_, i) => since + 1 + i));
    hub.close();
  });

  it("runs at most maxConcurrentReplays replays at once; the others wait their turn and then get everything", async () => {
    const hub = new Hub(db, log, { pingIntervalMs: 0, maxConcurrentReplays: 2, replayPageBytes: 64 * 1024, maxBufferedBytes: 64 * 1024 });
    hub.start();
    const since = lastId();
    const last = big(6, 50_000);
    const conns = Array.from({ length: 4 }, () => Object.assign(new FakeConn(), { reading: false }));
    const joins = conns.map((c, i) => hub.join(c, 10 + i, since));
    await sleep(50);
    expect(hub.replays).toEqual({ running: 2, waiting: 2 });
    expect(conns.filter((c) => c.eventIds.length > 0)).toHaveLength(2);
    for (let i = 0; i < 100 && !conns.every((c) => c.eventIds.includes(last)); i++) {
      for (const c of conns) c.drain();
      await sleep(5);
    }
    await Promise.all(joins);
    for (const c of conns) expect(c.eventIds).toEqual(Array.from({ length: 6 }, (_, i) => since + 1 + i));
    expect(hub.replays).toEqual({ running: 0, waiting: 0 });
    hub.close();
  });
});

describe("send buffers, bounded per socket and in total", () => {
  it("drops the peers holding the most queued bytes once all of them together pass the bound", async () => {
    const hub = new Hub(db, log, { pingIntervalMs: 0, maxTotalBufferedBytes: 100_000, maxBufferedBytes: 1024 * 1024 });
    hub.start();
    const slow = Array.from({ length: 5 }, () => new FakeConn());
    const fine = new FakeConn();
    for (const [i, c] of slow.entries()) await hub.join(c, 20 + i, null);
    await hub.join(fine, 30, null);
    for (const c of slow) c.reading = false;
    for (let i = 0; i < 4; i++) {
      big(1, 10_000 + i * 1000);
      await hub.flush();
    }
    // Five readers stuck at ~46 KB each (230 KB > 100 KB): the heaviest go until the rest fits under 3/4 of it.
    expect(slow.filter((c) => c.terminated).length).toBeGreaterThanOrEqual(3);
    expect(slow.filter((c) => !c.terminated).reduce((n, c) => n + c.buffered, 0)).toBeLessThanOrEqual(75_000);
    expect(fine.terminated).toBe(false);
    expect(fine.eventIds).toHaveLength(4);
    expect(hub.dropped).toBeGreaterThanOrEqual(3);
    hub.close();
  });

  it("bounds a joining peer's backlog in bytes (overflow: re-read from the log, nothing lost)", async () => {
    const hub = new Hub(db, log, { pingIntervalMs: 0, maxBufferedBytes: 30_000, replayPageBytes: 30_000 });
    hub.start();
    const since = lastId();
    big(3, 20_000);
    const c = Object.assign(new FakeConn(), { reading: false });
    const joined = hub.join(c, 40, since);
    await sleep(20);
    const live = big(10, 20_000); // 200 KB committed while the replay waits: far more than the backlog holds
    await hub.flush();
    for (let i = 0; i < 100 && !c.eventIds.includes(live); i++) {
      c.drain();
      c.reading = false;
      await sleep(5);
    }
    c.drain();
    await joined;
    await hub.flush();
    expect(c.eventIds).toEqual(Array.from({ length: live - since }, (_, i) => since + 1 + i));
    hub.close();
  });
});

describe("the upgrade (real server)", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ env: { WS_MAX_SOCKETS_PER_USER: "2", CORS_ORIGINS: "default,http://192.168.0.10:5173" } });
  });
  afterAll(async () => s?.stop());
  const url = (token: string) => `${s.wsUrl}/ws/orders?token=${encodeURIComponent(token)}`;
  const until = async (pred: () => boolean) => {
    for (let i = 0; i < 200 && !pred(); i++) await sleep(10);
  };

  it("caps the sockets of one user (429 before the handshake); a freed place can be taken again", async () => {
    const u = await s.createUser("muitas", "muitas-pass-1");
    const a = await wsConnect(url(u.token));
    const b = await wsConnect(url(u.token));
    await Promise.all([a.next(), b.next()]);
    expect(await upgradeStatus(url(u.token))).toBe(429);
    const other = await wsConnect(url(s.adminToken)); // another user is not affected
    a.close();
    await until(() => s.realtime.hub.size === 2);
    const c = await wsConnect(url(u.token));
    expect((await c.next()).type).toBe("connected");
    for (const x of [b, c, other]) x.close();
  });

  it("opens a socket only from an allowed Origin (no Origin: not a browser, allowed)", async () => {
    expect(await upgradeStatus(url(s.adminToken), { headers: { origin: "https://evil.example" } })).toBe(403);
    expect(await upgradeStatus(url(s.adminToken), { headers: { origin: "https://qualquer.vercel.app" } })).toBe(403);
    expect(await upgradeStatus(url(s.adminToken), { headers: { origin: "null" } })).toBe(403);
    // A page the server itself served (the board, /docs) opens its socket, whatever name the server is reached by.
    const own = `http://${new URL(s.url).host}`;
    const mine = await wsConnect(url(s.adminToken), { headers: { origin: own } });
    expect((await mine.next()).type).toBe("connected");
    mine.close();
    for (const origin of [
      "http://tauri.localhost",
      "tauri://localhost",
      "https://sgp.finderbit.com.br",
      "http://192.168.0.10:5173",
      undefined,
    ]) {
      const c = await wsConnect(url(s.adminToken), { headers: origin ? { origin } : {} });
      expect((await c.next()).type, String(origin)).toBe("connected");
      c.close();
    }
  });

  it("CORS echoes only the allow-list: the client's own origins and the configured ones", async () => {
    const acao = async (origin: string) =>
      (await fetch(`${s.url}/health`, { headers: { origin } })).headers.get("access-control-allow-origin");
    for (const origin of [
      "null",
      "https://x.vercel.app",
      "https://a1.ngrok-free.app",
      "tauri://anything",
      "https://evil.example",
      "http://10.0.0.5.evil.example",
      "http://8.8.8.8",
    ]) {
      expect(await acao(origin), origin).toBeNull();
    }
    // The client's own origins, the configured one, and pages of this machine or the shop's LAN (where the PWA is served).
    for (const origin of [
      "tauri://localhost",
      "http://tauri.localhost",
      "https://tauri.localhost",
      "http://localhost:1420",
      "https://sgp.finderbit.com.br",
      "http://192.168.0.10:5173",
      "http://localhost:5173",
      "http://10.0.0.5",
      "http://172.20.1.2:8080",
    ]) {
      expect(await acao(origin), origin).toBe(origin);
    }
  });

  it("passes a relayed order_deleted on only for an order whose deletion is in the event log", async () => {
    const created = await s.request("POST", "/pedidos/", {
      body: { cliente: "Vai sumir", data_entrada: "2026-11-29" },
      token: s.adminToken,
    });
    const u = await s.createUser("ouvinte", "ouvinte-pass-1");
    const a = await wsConnect(url(s.adminToken));
    const b = await wsConnect(url(u.token));
    await Promise.all([a.next(), b.next()]);
    a.ws.send(JSON.stringify({ type: "order_deleted", order_id: 987_654, broadcast: true })); // never existed
    a.ws.send(JSON.stringify({ type: "order_deleted", order_id: created.body.id, broadcast: true })); // exists
    await s.request("DELETE", `/pedidos/${created.body.id}`, { token: s.adminToken });
    await b.next((m) => m.type === "order_deleted" && m.event_id !== undefined);
    a.ws.send(JSON.stringify({ type: "order_deleted", order_id: created.body.id, broadcast: true })); // now truly gone
    const relayed = await b.next((m) => m.type === "order_deleted" && m.event_id === undefined);
    expect(relayed).toMatchObject({ order_id: created.body.id, username: "admin" });
    await sleep(50);
    expect(b.messages.filter((m) => m.type === "order_deleted" && m.event_id === undefined).map((m) => m.order_id)).toEqual([
      created.body.id,
    ]);
    a.close();
    b.close();
  });
});
