import type { CommittedEvent, Db } from "../db/connection.ts";
import type { Logger } from "../log.ts";
import { countSince, eventsSince, lastEventId, type LoggedEvent } from "./log.ts";
import type { SocketConnection } from "./socket.ts";
import { DEFAULT_MAX_MESSAGE_BYTES, PING_TEXT, PONG_TEXT, toWireEvent, type WireEvent } from "./wire.ts";

export interface HubOptions {
  /** Events above this size go out as `{type, order_id, event_id}`. */
  maxMessageBytes: number;
  /** A peer with more than this queued (it stopped reading) is dropped before the next send. */
  maxBufferedBytes: number;
  /** More missed events than this on `?since=`: the peer gets `{"type":"resync"}` instead of a replay. */
  replayLimit: number;
  /** Interval of the app-level `{"type":"ping"}` (the client's watchdog closes after 35 s of silence). */
  pingIntervalMs: number;
  /**
   * Where live events come from. `commit`: this process's commits, handed over right after COMMIT (one process).
   * `log`: the event log, tailed, so every process sharing the database file delivers every process's commits
   * in log order (a `--workers` mode); own commits trigger a read at once, others' within `tailIntervalMs`.
   */
  source: "commit" | "log";
  tailIntervalMs: number;
}

export const DEFAULT_HUB_OPTIONS: HubOptions = {
  maxMessageBytes: DEFAULT_MAX_MESSAGE_BYTES,
  maxBufferedBytes: 1024 * 1024,
  replayLimit: 5_000,
  pingIntervalMs: 25_000,
  source: "commit",
  tailIntervalMs: 50,
};

interface PeerState {
  userId: number;
  /** Live events that arrived while the replay was being read; sent right after it. null once live. */
  backlog: { wire: WireEvent; data: Buffer }[] | null;
  /** Bumped when the backlog overflows and is emptied: the replay must then read the log once more. */
  backlogEpoch: number;
  /** Highest event id sent to this peer: anything at or below it is never sent again (the replay seam). */
  lastSent: number;
}

const REPLAY_PAGE = 200;
const BACKLOG_LIMIT = 1_000;
const REPLAY_DRAIN_TIMEOUT_MS = 30_000;
const delay = (ms: number) => new Promise<false>((r) => setTimeout(() => r(false), ms).unref());

const encode = (text: string) => Buffer.from(text, "utf8");
const PING = encode(PING_TEXT);
const PONG = encode(PONG_TEXT);

/**
 * The realtime hub: delivers committed events to every connected peer, in commit order, each serialized once.
 * It holds no lock and no check-then-act: `publish` runs synchronously right after COMMIT on the one JS thread, in
 * commit order. `join` awaits the log, so it covers that window with a backlog and a per-peer "last sent" id: a
 * peer sees each event exactly once, live or in its replay.
 */
export class Hub {
  private readonly peers = new Map<SocketConnection, PeerState>();
  private readonly opts: HubOptions;
  private heartbeat: NodeJS.Timeout | null = null;
  private detach: (() => void) | null = null;
  private closing = false;
  /** Running totals for `/metrics`: events sent to peers, events not sent because their peer was dropped, last id published. */
  readonly counters = { delivered: 0, dropped: 0, lastPublished: 0 };

  constructor(private readonly db: Db, private readonly log: Logger, opts: Partial<HubOptions> = {}) {
    this.opts = { ...DEFAULT_HUB_OPTIONS, ...opts };
  }

  /** Starts delivering commits and pinging. Idempotent. */
  start(): void {
    if (this.opts.source === "log") this.startTail();
    else this.detach ??= this.db.onCommit((events) => this.publish(events.map((e) => ({ ...e, payloadJson: JSON.stringify(e.payload) }))));
    if (!this.heartbeat && this.opts.pingIntervalMs > 0) {
      this.heartbeat = setInterval(() => this.pingAll(), this.opts.pingIntervalMs);
      this.heartbeat.unref();
    }
  }

  get size(): number {
    return this.peers.size;
  }

  get isClosing(): boolean {
    return this.closing;
  }

  /**
   * Registers a peer, sends its first message (`{"type":"connected","event_id":<since, or else the last>}`), then,
   * when `since` is given, every later event from the log in order, then live events, with no gap and no duplicate.
   * The replay is paced by the socket (it waits for the send buffer to drain), so a long replay never piles up
   * in memory; live events committed meanwhile wait in a bounded backlog.
   */
  async join(conn: SocketConnection, userId: number, since: number | null): Promise<void> {
    if (this.closing) return conn.close(1001, "Servidor reiniciando"); // an upgrade that finished during shutdown
    // Registered before the log is read: a commit landing meanwhile is kept in the backlog, not lost.
    const state: PeerState = { userId, backlog: [], backlogEpoch: 0, lastSent: 0 };
    this.peers.set(conn, state);
    const head = await this.db.read((q) => {
      const last = lastEventId(q);
      const missed = since === null || since >= last ? 0 : countSince(q, since);
      return { last, missed };
    });
    if (this.peers.get(conn) !== state) return; // closed meanwhile
    // A client too far behind, or ahead of this log (a restored database), reloads everything rather than trust a
    // partial or foreign history.
    const live = since === null || head.missed > this.opts.replayLimit || since > head.last;
    // The client's own cursor when it gave one, never the head: a client that keeps the last event_id it received
    // and drops before the replay (or the resync) has reached it resumes without a gap.
    this.sendRaw(conn, state, encode(JSON.stringify({ type: "connected", event_id: since ?? head.last })));
    if (live) {
      if (since !== null) this.sendRaw(conn, state, encode(JSON.stringify({ type: "resync", event_id: head.last })));
      state.lastSent = head.last;
      // Only if the backlog overflowed during that one read: those events are read back from the log.
      if (state.backlogEpoch > 0) await this.replay(conn, state);
      else this.goLive(conn, state);
    } else {
      state.lastSent = since;
      await this.replay(conn, state);
    }
  }

  /** Sends the backlog and makes the peer live, synchronously: no commit can slip in between. */
  private goLive(conn: SocketConnection, state: PeerState): void {
    const backlog = state.backlog ?? [];
    state.backlog = null;
    for (const item of backlog) this.deliver(conn, state, item.wire, item.data);
  }

  /**
   * Sends the log after `state.lastSent` page by page until a read comes back empty with no backlog reset in
   * between: from then on the backlog holds everything newer, so switching to live (at once, before any other
   * task can commit and overflow the backlog again) leaves no gap.
   */
  private async replay(conn: SocketConnection, state: PeerState): Promise<boolean> {
    for (;;) {
      const epoch = state.backlogEpoch;
      const page = await this.db.read((q) => eventsSince(q, state.lastSent, REPLAY_PAGE));
      if (this.peers.get(conn) !== state) return false;
      if (page.length === 0 && epoch === state.backlogEpoch) {
        this.goLive(conn, state);
        return true;
      }
      for (const e of page) {
        if (conn.bufferedBytes() > this.opts.maxBufferedBytes) {
          const drained = await Promise.race([conn.waitForDrain(this.opts.maxBufferedBytes / 4).then(() => true), delay(REPLAY_DRAIN_TIMEOUT_MS)]);
          if (this.peers.get(conn) !== state) return false;
          if (!drained) {
            this.drop(conn, "replay not read", state);
            return false;
          }
        }
        const wire = toWireEvent(e, this.opts.maxMessageBytes);
        if (wire.recipient === null || wire.recipient === state.userId) {
          if (!this.sendRaw(conn, state, encode(wire.text))) return false;
          this.counters.delivered++;
        }
        state.lastSent = e.id;
      }
    }
  }

  private tail: { cursor: number; ready: Promise<void>; version: number; timer: NodeJS.Timeout; pumping: boolean; again: boolean } | null = null;

  /** Log mode: publishes every event after the cursor, in id order, whichever process committed it. */
  private startTail(): void {
    if (this.tail) return;
    const timer = setInterval(() => {
      // data_version moves only when ANOTHER connection commits: a cheap "anything new?" check.
      // note: a busy database must not crash the process from a timer; the next tick simply tries again.
      try {
        if (this.tail && this.db.dataVersion() !== this.tail.version) void this.pump();
      } catch (err) {
        this.log.warn({ err }, "event log tail check failed; retrying");
      }
    }, this.opts.tailIntervalMs);
    timer.unref();
    const tail = { cursor: 0, ready: Promise.resolve(), version: this.db.dataVersion(), timer, pumping: false, again: false };
    // Live from here on: what was committed before the hub started is only for `?since=` replays.
    tail.ready = this.db.read((q) => lastEventId(q)).then((last) => void (tail.cursor = last));
    this.tail = tail;
    this.detach = this.db.onCommit(() => void this.pump());
  }

  private async pump(): Promise<void> {
    const tail = this.tail;
    if (!tail) return;
    if (tail.pumping) {
      tail.again = true; // the running pump reads once more before it stops
      return;
    }
    tail.pumping = true;
    try {
      await tail.ready;
      do {
        tail.again = false;
        tail.version = this.db.dataVersion();
        let page: LoggedEvent[];
        do {
          page = await this.db.read((q) => eventsSince(q, tail.cursor, REPLAY_PAGE));
          if (this.tail !== tail) return;
          if (page.length) tail.cursor = page[page.length - 1].id;
          this.publish(page);
        } while (page.length === REPLAY_PAGE);
      } while (tail.again);
    } catch (err) {
      this.log.error({ err }, "event log tail failed; retrying on the next tick");
      tail.version = -1;
    } finally {
      tail.pumping = false;
    }
  }

  leave(conn: SocketConnection): void {
    this.peers.delete(conn);
  }

  /** Delivers committed events to every peer: one serialization and one Buffer per event, shared by all peers. */
  publish(events: readonly (LoggedEvent & { payload?: CommittedEvent["payload"] })[]): void {
    for (const e of events) {
      let wire: WireEvent;
      try {
        wire = toWireEvent(e, this.opts.maxMessageBytes);
      } catch (err) {
        this.log.error({ err, eventId: e.id }, "event not serializable; not delivered (still in the log)");
        continue;
      }
      const data = encode(wire.text);
      this.counters.lastPublished = e.id;
      // forEach, not for…of: no [key, value] array allocated per peer on the hot loop.
      this.peers.forEach((state, conn) => this.deliver(conn, state, wire, data));
    }
  }

  /**
   * Sends a client-relayed message (already checked and stamped by the caller) to every other peer.
   * Relays are hints, not events: they carry no `event_id` and are not replayed.
   */
  relay(from: SocketConnection, message: Record<string, unknown>): number {
    const data = encode(JSON.stringify(message));
    let sent = 0;
    for (const [conn, state] of this.peers) {
      if (conn === from || state.backlog) continue;
      if (this.sendRaw(conn, state, data)) sent++;
    }
    return sent;
  }

  /** Answers a client ping under the same send-buffer bound as events: a client that pings but never reads is dropped. */
  pong(conn: SocketConnection): void {
    const state = this.peers.get(conn);
    if (state) this.sendRaw(conn, state, PONG);
  }

  /** Sends `{"type":"ping"}` to every peer (the client's watchdog needs traffic at least every 35 s). */
  pingAll(): void {
    for (const [conn, state] of this.peers) if (!state.backlog) this.sendRaw(conn, state, PING);
  }

  /** Log mode: resolves once every event committed so far has been published (before closing on shutdown). */
  async flush(maxWaitMs = 2_000): Promise<void> {
    const tail = this.tail;
    if (!tail) return; // commit mode publishes synchronously at COMMIT: nothing is pending
    await this.pump(); // runs a pump, or makes the running one read once more
    const deadline = Date.now() + maxWaitMs;
    while (tail.pumping && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
  }

  /** Stops pinging and delivering, then closes every socket with `code` (1001 on shutdown). */
  close(code = 1001, reason = "Servidor reiniciando"): void {
    this.closing = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    this.detach?.();
    this.detach = null;
    if (this.tail) clearInterval(this.tail.timer);
    this.tail = null;
    for (const conn of [...this.peers.keys()]) {
      try {
        conn.close(code, reason);
      } catch {
        conn.terminate();
      }
    }
  }

  private deliver(conn: SocketConnection, state: PeerState, wire: WireEvent, data: Buffer): void {
    if (wire.recipient !== null && wire.recipient !== state.userId) return;
    if (state.backlog) {
      // Bounded: on overflow it is emptied and the replay reads those events from the log instead.
      if (state.backlog.length >= BACKLOG_LIMIT) {
        state.backlog = [];
        state.backlogEpoch++;
      }
      state.backlog.push({ wire, data });
      return;
    }
    if (wire.id <= state.lastSent) return;
    if (this.sendRaw(conn, state, data)) {
      state.lastSent = wire.id;
      this.counters.delivered++;
    }
  }

  /** Sends one frame unless the peer stopped reading; such a peer is dropped, never buffered without bound. */
  private sendRaw(conn: SocketConnection, state: PeerState, data: Buffer): boolean {
    if (conn.bufferedBytes() > this.opts.maxBufferedBytes) {
      this.drop(conn, "send buffer over the bound (peer not reading)", state);
      return false;
    }
    try {
      conn.send(data);
      return true;
    } catch (err) {
      this.drop(conn, `send failed: ${(err as Error).message}`, state);
      return false;
    }
  }

  private drop(conn: SocketConnection, why: string, state?: PeerState): void {
    this.peers.delete(conn);
    this.counters.dropped++;
    this.log.warn({ userId: state?.userId, why }, "realtime peer dropped");
    try {
      conn.terminate();
    } catch {
      // already gone
    }
  }
}
