// The hub with in-memory fake connections on a real (temp) database: seam, pacing, bounds, serialize-once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase, type Db } from "../lib/db/connection.ts";
import { migrate } from "../lib/db/migrate.ts";
import { createLogger } from "../lib/log.ts";
import { Hub } from "../lib/events/hub.ts";
import type { MessageBatch, SocketConnection } from "../lib/events/socket.ts";

class FakeConn implements SocketConnection {
  frames: (string | Buffer)[] = [];
  buffered = 0;
  closedWith: number | null = null;
  terminated = false;
  private drainWaiters: (() => void)[] = [];
  /** Once set, the fake reads everything it is sent at once. */
  reading = true;
  send(data: string | Buffer) {
    this.frames.push(data);
    if (!this.reading) this.buffered += data.length;
  }
  sendBatch(batch: MessageBatch) {
    this.batches.push(batch);
    for (const m of batch.messages) this.send(m);
  }
  batches: MessageBatch[] = [];
  bufferedBytes() {
    return this.buffered;
  }
  waitForDrain() {
    return this.reading ? Promise.resolve() : new Promise<void>((r) => this.drainWaiters.push(r));
  }
  drain() {
    this.buffered = 0;
    this.reading = true;
    for (const w of this.drainWaiters.splice(0)) w();
  }
  close(code: number) {
    this.closedWith = code;
  }
  terminate() {
    this.terminated = true;
  }
  get messages() {
    return this.frames.map((f) => JSON.parse(f.toString()));
  }
  get eventIds() {
    return this.messages.filter((m) => m.type === "e").map((m) => m.event_id as number);
  }
}

let dir: string;
let db: Db;
const log = createLogger("silent");
const emit = (n = 1) =>
  db.writeSync((tx) => {
    let id = 0;
    for (let i = 0; i < n; i++) id = tx.emit({ type: "e", orderId: i, payload: { type: "e", order_id: i }, actor: null }).id;
    return id;
  });
const flush = () => new Promise((r) => setImmediate(r));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sgp-hub-"));
  db = openDatabase(join(dir, "hub.db"));
  migrate(db, log);
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("Hub", () => {
  it("serializes each event once: every peer gets the same Buffer, in the same batch object", async () => {
    const hub = new Hub(db, log, { pingIntervalMs: 0 });
    hub.start();
    const conns = Array.from({ length: 100 }, () => new FakeConn());
    for (const [i, c] of conns.entries()) await hub.join(c, 1 + i, null);
    emit();
    await hub.flush();
    const frames = conns.map((c) => c.frames.at(-1));
    expect(frames.every((f) => f === frames[0])).toBe(true);
    expect(Buffer.isBuffer(frames[0])).toBe(true);
    expect(conns.every((c) => c.batches.at(-1) === conns[0].batches.at(-1))).toBe(true);
    hub.close();
  });

  it("coalesces: events committed in one event-loop turn reach each socket as one batch (one write), in order", async () => {
    const hub = new Hub(db, log, { pingIntervalMs: 0 });
    hub.start();
    const conns = Array.from({ length: 3 }, () => new FakeConn());
    for (const c of conns) await hub.join(c, 1, null);
    const first = emit();
    emit();
    const last = emit(3); // three separate commits in the same turn
    await hub.flush();
    for (const c of conns) {
      expect(c.batches).toHaveLength(1);
      expect(c.eventIds).toEqual(Array.from({ length: last - first + 1 }, (_, i) => first + i));
    }
    hub.close();
  });

  it("settled() resolves once this process's commits were handed to the sockets (none pending: undefined)", async () => {
    const hub = new Hub(db, log, { pingIntervalMs: 0 });
    hub.start();
    const c = new FakeConn();
    await hub.join(c, 1, null);
    expect(hub.settled()).toBeUndefined();
    const id = emit();
    const settled = hub.settled();
    expect(settled).toBeInstanceOf(Promise);
    expect(c.eventIds).not.toContain(id); // not yet: the fan-out runs on the next turn
    await settled;
    expect(c.eventIds).toContain(id);
    expect(hub.settled()).toBeUndefined();
    hub.close();
  });

  it("sends resync instead of a partial replay when more events were missed than the limit", async () => {
    const hub = new Hub(db, log, { pingIntervalMs: 0, replayLimit: 5 });
    hub.start();
    const since = emit();
    emit(6);
    const c = new FakeConn();
    await hub.join(c, 1, since);
    expect(c.messages.map((m) => m.type)).toEqual(["connected", "resync"]);
    const ahead = new FakeConn(); // a cursor from another (restored) database
    await hub.join(ahead, 1, since + 1000);
    expect(ahead.messages.map((m) => m.type)).toEqual(["connected", "resync"]);
    const next = emit();
    await hub.flush();
    expect(ahead.eventIds).toEqual([next]); // live events still reach it
    const within = new FakeConn();
    await hub.join(within, 1, since + 2);
    await hub.flush();
    expect(within.eventIds).toEqual([since + 3, since + 4, since + 5, since + 6, next]);
    hub.close();
  });

  it("paces a replay on a full send buffer; live events meanwhile follow it with no gap or duplicate", async () => {
    const hub = new Hub(db, log, { pingIntervalMs: 0, maxBufferedBytes: 1000, replayPageBytes: 1000 });
    hub.start();
    const since = emit();
    const missed = emit(300); // more than one replay page
    const c = new FakeConn();
    c.reading = false; // its buffer fills after ~20 frames
    const joined = hub.join(c, 1, since);
    await flush();
    const sentBeforeDrain = c.eventIds.length;
    expect(sentBeforeDrain).toBeGreaterThan(0);
    expect(sentBeforeDrain).toBeLessThan(40);
    const live1 = emit(1_500); // more than the backlog holds: it overflows and the log is read again
    await flush();
    expect(c.eventIds.length).toBe(sentBeforeDrain); // still waiting: nothing piled up
    c.drain();
    await flush();
    const live2 = emit();
    await joined;
    const live3 = emit();
    await hub.flush();
    expect(c.eventIds).toEqual(Array.from({ length: live3 - since }, (_, i) => since + 1 + i));
    expect(missed).toBeLessThan(live1);
    expect(live2).toBe(live1 + 1);
    hub.close();
  });

  it("drops a live peer whose buffer is over the bound, before sending more", async () => {
    const hub = new Hub(db, log, { pingIntervalMs: 0, maxBufferedBytes: 1000 });
    hub.start();
    const slow = new FakeConn();
    const fine = new FakeConn();
    await hub.join(slow, 1, null);
    await hub.join(fine, 2, null);
    slow.buffered = 1001;
    emit();
    await hub.flush();
    expect(slow.terminated).toBe(true);
    expect(hub.dropped).toBe(1);
    expect(hub.size).toBe(1);
    expect(fine.eventIds).toHaveLength(1);
    hub.close();
    expect(fine.closedWith).toBe(1001);
  });

  it("pings every joined peer on its interval", async () => {
    const hub = new Hub(db, log, { pingIntervalMs: 20 });
    hub.start();
    const c = new FakeConn();
    await hub.join(c, 1, null);
    await new Promise((r) => setTimeout(r, 70));
    expect(c.messages.filter((m) => m.type === "ping").length).toBeGreaterThanOrEqual(2);
    hub.close();
  });
});
