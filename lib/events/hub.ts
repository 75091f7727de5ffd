import type { CommittedEvent, Db } from "../db/connection.ts";
import type { Logger } from "../log.ts";
import { countSince, eventsSince, lastEventId, replayPage, type LoggedEvent, type ReplayEvent } from "./log.ts";
import type { MessageBatch, SocketConnection } from "./socket.ts";
import { DEFAULT_MAX_MESSAGE_BYTES, PING_TEXT, PONG_TEXT, toWireEvent, type WireEvent } from "./wire.ts";

export interface HubOptions {
  /** Events above this size go out as `{type, order_id, event_id}`. */
  maxMessageBytes: number;
  /** A peer with more than this queued (it stopped reading) is dropped before the next send. */
  maxBufferedBytes: number;
  /** All peers' queued bytes together: above it, the peers holding the most are dropped. */
  maxTotalBufferedBytes: number;
  /** More missed events than this on `?since=`: the peer gets `{"type":"resync"}` instead of a replay. */
  replayLimit: number;
  /** A replay reads the log in pages of about this many payload bytes, the next one only once the socket drained. */
  replayPageBytes: number;
  /** Replays running at once; later ones wait their turn (their live events wait in a bounded backlog). */
  maxConcurrentReplays: number;
  /** Sockets one user may hold; beyond it a new one is refused (`canJoin`) or closed with 1013 at `join`. */
  maxSocketsPerUser: number;
  /** Interval of the app-level `{"type":"ping"}` (the client's watchdog closes after 35 s of silence). */
  pingIntervalMs: number;
  /**
   * Where live events come from. `commit`: this process's commits, handed over right after COMMIT (one process).
   * `log`: the event log, tailed, so every process sharing the database file delivers every process's commits
   * in log order (a `--workers` mode); own commits trigger a read at once, others' within `tailIntervalMs`.
   */
  source: "commit" | "log";
  tailIntervalMs: number;
  /** Peers written per event-loop turn in one fan-out: 10,000 listeners never hold the loop in one piece. */
  fanoutSlice: number;
  /**
   * Fan-outs start at least this far apart (ms). An idle hub fans out on the next turn; under a stream of commits
   * (100 creates in flight), each fan-out carries everything committed since the last one instead of a few
   * events, so writes per socket stop growing with the commit rate.
   */
  fanoutGapMs: number;
}

export const DEFAULT_HUB_OPTIONS: HubOptions = {
  maxMessageBytes: DEFAULT_MAX_MESSAGE_BYTES,
  maxBufferedBytes: 1024 * 1024,
  maxTotalBufferedBytes: 64 * 1024 * 1024,
  replayLimit: 5_000,
  replayPageBytes: 256 * 1024,
  maxConcurrentReplays: 8,
  maxSocketsPerUser: 20,
  pingIntervalMs: 25_000,
  source: "commit",
  tailIntervalMs: 50,
  fanoutSlice: 1_000,
  fanoutGapMs: 50,
};

/** One message in a fan-out: built once (text, Buffer), shared by every peer it goes to. */
interface Outgoing {
  id: number;
  recipient: number | null;
  data: Buffer;
}

interface PeerState {
  userId: number;
  /** Messages that arrived while the peer was joining or replaying; sent once it goes live. null once live. */
  backlog: Outgoing[] | null;
  backlogBytes: number;
  /** Bumped when the backlog overflows and is emptied: the replay must then read the log once more. */
  backlogEpoch: number;
  /** Highest event id sent to this peer: anything at or below it is never sent again (the replay seam). */
  lastSent: number;
}

const REPLAY_PAGE_EVENTS = 200;
/** A replay waits at most this long for a socket to take a page (a client reading slower is dropped). */
const REPLAY_DRAIN_TIMEOUT_MS = 10_000;
const delay = (ms: number) => new Promise<false>((r) => setTimeout(() => r(false), ms).unref());
const turn = () => new Promise<void>((r) => setImmediate(r));

const encode = (text: string) => Buffer.from(text, "utf8");
const PING = encode(PING_TEXT);
const PONG = encode(PONG_TEXT);
const batchOf = (messages: Buffer[]): MessageBatch => ({ messages });

/**
 * The realtime hub: delivers committed events to every connected peer, in commit order, each serialized once.
 *
 * Fan-out is coalesced: events committed during one event-loop turn are delivered together on the next turn, one
 * write per socket (several frames in it), the frames built once and shared by every socket that gets the same
 * messages. A large fan-out is split into slices of `fanoutSlice` peers, one per turn, so no listener count holds
 * the loop; fan-outs run one after another, so each peer still gets events in commit order.
 * `settled()` lets the runtime hold an HTTP response until the events of its write were handed to the sockets.
 *
 * Everything is bounded: bytes queued per socket and in total, live events waiting during a replay (in bytes),
 * replay pages (in bytes, the next read only after the socket drained), replays at once, sockets per user.
 * It holds no lock and no check-then-act: state changes happen synchronously on the one JS thread; `join` awaits
 * the log, so it covers that window with a backlog and a per-peer "last sent" id: a peer sees each event exactly
 * once, live or in its replay.
 */
export class Hub {
  private readonly peers = new Map<SocketConnection, PeerState>();
  private readonly perUser = new Map<number, number>();
  private readonly opts: HubOptions;
  private heartbeat: NodeJS.Timeout | null = null;
  private detach: (() => void) | null = null;
  private closing = false;
  /** Messages committed and not yet fanned out, and the highest event id queued (some may have no message). */
  private outbox: Outgoing[] = [];
  private outboxUpTo = 0;
  /** The running fan-out (null: idle). */
  private fanning: Promise<void> | null = null;
  /** Highest event id of this process's commits, and highest one fanned out (for `settled`). */
  private committedUpTo = 0;
  private deliveredUpTo = 0;
  private waiters: { upTo: number; resolve: () => void }[] = [];
  private replaysRunning = 0;
  private readonly replayQueue: (() => void)[] = [];
  private deliveredCount = 0;
  private droppedCount = 0;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    opts: Partial<HubOptions> = {},
  ) {
    this.opts = { ...DEFAULT_HUB_OPTIONS, ...opts };
  }

  /** Starts delivering commits and pinging. Idempotent. */
  start(): void {
    if (this.opts.source === "log") this.startTail();
    else this.detach ??= this.db.onCommit((events) => this.committed(events));
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

  /** Event messages handed to sockets so far (one per socket and event). */
  /** The highest event id fanned out to this process's sockets (the event-log lag of `/metrics`). */
  get lastPublished(): number {
    return this.deliveredUpTo;
  }

  get delivered(): number {
    return this.deliveredCount;
  }

  /** Peers dropped so far for not reading (their buffer over a bound, or a replay page not taken in time). */
  get dropped(): number {
    return this.droppedCount;
  }

  /** The highest event id this process committed so far (a request notes it first, then `settled(mark)`). */
  get commitMark(): number {
    return this.committedUpTo;
  }

  /** Replays running now, and sockets waiting for a replay slot. */
  get replays(): { running: number; waiting: number } {
    return { running: this.replaysRunning, waiting: this.replayQueue.length };
  }

  /** False when `userId` already holds `maxSocketsPerUser` sockets (the upgrade then answers 429). */
  canJoin(userId: number): boolean {
    return (this.perUser.get(userId) ?? 0) < this.opts.maxSocketsPerUser;
  }

  /**
   * Resolves once every event this process committed so far has been handed to the sockets; undefined when that
   * is already the case, or when nothing was committed after `since` (a `commitMark` taken earlier): no await. The runtime awaits it before sending a response, so the live clients
   * hear of a write before its HTTP answer arrives.
   */
  settled(since = 0): Promise<void> | undefined {
    // Nothing committed by this process since `since` (a request that wrote nothing): nothing to wait for.
    if (this.committedUpTo <= since || this.committedUpTo <= this.deliveredUpTo) return undefined;
    const upTo = this.committedUpTo;
    return new Promise((resolve) => this.waiters.push({ upTo, resolve }));
  }

  /**
   * Registers a peer, sends its first message (`{"type":"connected","event_id":<since, or else the last>}`), then,
   * when `since` is given, every later event from the log in order, then live events, with no gap and no duplicate.
   * The replay is paced by the socket (the next page is read once the last one drained) and waits for a free
   * replay slot; live events committed meanwhile wait in a bounded backlog.
   */
  async join(conn: SocketConnection, userId: number, since: number | null): Promise<void> {
    if (this.closing) return conn.close(1001, "Servidor reiniciando"); // an upgrade that finished during shutdown
    // Two upgrades of one user racing past `canJoin`: the later socket is the one refused.
    if (!this.canJoin(userId)) return conn.close(1013, "Muitas conexões abertas para este usuário");
    // Registered before the log is read: a commit landing meanwhile is kept in the backlog, not lost.
    const state: PeerState = { userId, backlog: [], backlogBytes: 0, backlogEpoch: 0, lastSent: 0 };
    this.peers.set(conn, state);
    this.perUser.set(userId, (this.perUser.get(userId) ?? 0) + 1);
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

  leave(conn: SocketConnection): void {
    const state = this.peers.get(conn);
    if (state) this.forget(conn, state);
  }

  /**
   * Sends a client-relayed message (already checked and stamped by the caller) to every other live peer.
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

  /** Sends `{"type":"ping"}` to every live peer (the client's watchdog needs traffic at least every 35 s). */
  pingAll(): void {
    for (const [conn, state] of this.peers) if (!state.backlog) this.sendRaw(conn, state, PING);
  }

  /**
   * Resolves once every event committed so far has been handed to the sockets (shutdown: before closing them).
   * Log mode reads the log once more first (other processes' commits included).
   */
  async flush(maxWaitMs = 2_000): Promise<void> {
    const deadline = Date.now() + maxWaitMs;
    if (this.tail) await Promise.race([this.pump(), delay(maxWaitMs)]);
    while ((this.fanning || this.outboxUpTo > this.deliveredUpTo || this.tail?.pumping) && Date.now() < deadline) {
      await Promise.race([this.fanning ?? turn(), delay(Math.max(1, deadline - Date.now()))]);
    }
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
    this.outbox = [];
    for (const w of this.waiters.splice(0)) w.resolve();
    for (const next of this.replayQueue.splice(0)) next();
    for (const conn of [...this.peers.keys()]) {
      try {
        conn.close(code, reason);
      } catch {
        conn.terminate();
      }
    }
  }

  // ---- fan-out -------------------------------------------------------------------------------------------------

  /** Commit listener (commit mode): this process's events, right after COMMIT. */
  private committed(events: readonly CommittedEvent[]): void {
    const last = events[events.length - 1]?.id ?? 0;
    this.enqueue(events);
    if (last > this.committedUpTo) this.committedUpTo = last;
    this.settle();
  }

  /** Serializes each event once and queues it for the next fan-out. */
  private enqueue(events: readonly (LoggedEvent | CommittedEvent)[]): void {
    if (events.length === 0) return;
    const last = events[events.length - 1].id;
    if ((this.peers.size === 0 || this.closing) && !this.fanning) {
      // Nobody to tell: the events are in the log for whoever joins later.
      this.deliveredUpTo = Math.max(this.deliveredUpTo, last);
      return;
    }
    if (last > this.outboxUpTo) this.outboxUpTo = last;
    for (const e of events) {
      let wire: WireEvent;
      try {
        wire = toWireEvent(e, this.opts.maxMessageBytes);
      } catch (err) {
        this.log.error({ err, eventId: e.id }, "event not serializable; not delivered (still in the log)");
        continue;
      }
      this.outbox.push({ id: wire.id, recipient: wire.recipient, data: encode(wire.text) });
    }
    this.fanning ??= this.fanOutAll();
  }

  /** Runs fan-outs until the outbox is empty: each takes what was committed up to its start, on the next turn. */
  private lastFanOut = -Infinity;

  private async fanOutAll(): Promise<void> {
    while (this.outboxUpTo > this.deliveredUpTo && !this.closing) {
      // Let every commit of this turn join the batch; right after another fan-out, wait out the gap too.
      const wait = this.lastFanOut + this.opts.fanoutGapMs - performance.now();
      if (wait > 1) await new Promise<void>((r) => setTimeout(r, wait));
      else await turn();
      this.lastFanOut = performance.now();
      const messages = this.outbox;
      const upTo = this.outboxUpTo;
      this.outbox = [];
      try {
        if (messages.length) await this.fanOut(messages);
      } catch (err) {
        this.log.error({ err }, "realtime fan-out failed (the events stay in the log for replays)");
      }
      this.deliveredUpTo = Math.max(this.deliveredUpTo, upTo);
      this.settle();
    }
    this.fanning = null;
    if (this.closing) this.deliveredUpTo = Math.max(this.deliveredUpTo, this.outboxUpTo);
    this.settle();
  }

  /** One fan-out: every peer gets the messages meant for it, in one write, in slices of peers per turn. */
  private async fanOut(messages: Outgoing[]): Promise<void> {
    const allPublic = messages.every((m) => m.recipient === null);
    const shared = allPublic ? batchOf(messages.map((m) => m.data)) : null;
    const sharedBytes = shared ? messages.reduce((n, m) => n + m.data.byteLength, 0) : 0;
    const perUser = new Map<number, { batch: MessageBatch; count: number; bytes: number }>();
    const first = messages[0].id;
    const last = messages[messages.length - 1].id;
    const targets = [...this.peers];
    let total = 0;
    for (let at = 0; at < targets.length; at += this.opts.fanoutSlice) {
      if (at > 0) await turn();
      const end = Math.min(targets.length, at + this.opts.fanoutSlice);
      for (let i = at; i < end; i++) {
        const [conn, state] = targets[i];
        if (this.peers.get(conn) !== state) continue; // gone meanwhile
        if (state.backlog) {
          this.toBacklog(state, messages);
          continue;
        }
        let batch: MessageBatch;
        let count: number;
        let bytes: number;
        if (shared && state.lastSent < first) {
          batch = shared;
          count = messages.length;
          bytes = sharedBytes;
        } else if (state.lastSent >= last) {
          continue;
        } else {
          const mine = state.lastSent < first ? perUser.get(state.userId) : undefined;
          if (mine) ({ batch, count, bytes } = mine);
          else {
            const picked = messages.filter((m) => m.id > state.lastSent && (m.recipient === null || m.recipient === state.userId));
            batch = batchOf(picked.map((m) => m.data));
            count = picked.length;
            bytes = picked.reduce((n, m) => n + m.data.byteLength, 0);
            if (state.lastSent < first) perUser.set(state.userId, { batch, count, bytes });
          }
          if (count === 0) {
            state.lastSent = last;
            continue;
          }
        }
        const queued = conn.bufferedBytes();
        if (queued > this.opts.maxBufferedBytes) {
          this.drop(conn, state, "send buffer over the bound (peer not reading)");
          continue;
        }
        try {
          conn.sendBatch(batch);
        } catch (err) {
          this.drop(conn, state, `send failed: ${(err as Error).message}`);
          continue;
        }
        state.lastSent = last;
        this.deliveredCount += count;
        total += queued + bytes;
      }
    }
    if (total > this.opts.maxTotalBufferedBytes) this.shedLoad();
  }

  /** Drops the peers holding the most unsent bytes until all of them together hold under 3/4 of the bound. */
  private shedLoad(): void {
    const queued = [...this.peers].map(([conn, state]) => ({ conn, state, bytes: conn.bufferedBytes() }));
    let total = queued.reduce((n, p) => n + p.bytes, 0);
    if (total <= this.opts.maxTotalBufferedBytes) return;
    queued.sort((a, b) => b.bytes - a.bytes);
    for (const p of queued) {
      if (total <= (this.opts.maxTotalBufferedBytes * 3) / 4 || p.bytes === 0) break;
      this.drop(p.conn, p.state, "total send buffers over the bound (slowest readers first)");
      total -= p.bytes;
    }
  }

  /** Keeps a joining peer's live messages, bounded in bytes: on overflow the replay reads them from the log. */
  private toBacklog(state: PeerState, messages: readonly Outgoing[]): void {
    for (const m of messages) {
      if (m.recipient !== null && m.recipient !== state.userId) continue;
      if (state.backlogBytes + m.data.byteLength > this.opts.maxBufferedBytes) {
        state.backlog = [];
        state.backlogBytes = 0;
        state.backlogEpoch++;
        continue;
      }
      state.backlog!.push(m);
      state.backlogBytes += m.data.byteLength;
    }
  }

  private settle(): void {
    if (this.waiters.length === 0) return;
    const done = this.deliveredUpTo;
    const left: typeof this.waiters = [];
    for (const w of this.waiters) w.upTo <= done ? w.resolve() : left.push(w);
    this.waiters = left;
  }

  // ---- replay --------------------------------------------------------------------------------------------------

  /** Sends the backlog and makes the peer live, synchronously: no fan-out can slip in between. */
  private goLive(conn: SocketConnection, state: PeerState): void {
    const backlog = (state.backlog ?? []).filter((m) => m.id > state.lastSent);
    state.backlog = null;
    state.backlogBytes = 0;
    if (backlog.length === 0) return;
    if (!this.sendBatchTo(conn, state, batchOf(backlog.map((m) => m.data)))) return;
    state.lastSent = backlog[backlog.length - 1].id;
    this.deliveredCount += backlog.length;
  }

  /** Waits for a replay slot (FIFO); false when the peer left meanwhile. */
  private async replaySlot(conn: SocketConnection, state: PeerState): Promise<boolean> {
    if (this.replaysRunning < this.opts.maxConcurrentReplays) {
      this.replaysRunning++;
      return true;
    }
    await new Promise<void>((resolve) => this.replayQueue.push(resolve));
    // The slot was handed over by `releaseReplay` (the count stays the same), or the hub closed.
    if (this.closing || this.peers.get(conn) !== state) {
      this.releaseReplay();
      return false;
    }
    return true;
  }

  private releaseReplay(): void {
    const next = this.replayQueue.shift();
    if (next) next();
    else this.replaysRunning--;
  }

  /**
   * Sends the log after `state.lastSent` page by page, each page one write, the next read only once the socket
   * drained, until a read comes back empty with no backlog reset in between: from then on the backlog holds
   * everything newer, so switching to live (at once, before any other task can fan out) leaves no gap.
   */
  private async replay(conn: SocketConnection, state: PeerState): Promise<boolean> {
    if (!(await this.replaySlot(conn, state))) return false;
    try {
      const low = Math.floor(this.opts.maxBufferedBytes / 4);
      for (;;) {
        const epoch = state.backlogEpoch;
        const page = await this.db.read((q) =>
          replayPage(q, state.lastSent, this.opts.replayPageBytes, this.opts.maxMessageBytes, REPLAY_PAGE_EVENTS),
        );
        if (this.peers.get(conn) !== state) return false;
        if (page.length === 0 && epoch === state.backlogEpoch) {
          this.goLive(conn, state);
          return true;
        }
        const out = this.visible(page, state.userId);
        if (out.length && !this.sendBatchTo(conn, state, batchOf(out))) return false;
        this.deliveredCount += out.length;
        state.lastSent = page[page.length - 1].id;
        if (conn.bufferedBytes() > low) {
          const drained = await Promise.race([conn.waitForDrain(low).then(() => true), delay(REPLAY_DRAIN_TIMEOUT_MS)]);
          if (this.peers.get(conn) !== state) return false;
          if (!drained) {
            this.drop(conn, state, "replay not read");
            return false;
          }
        }
      }
    } finally {
      this.releaseReplay();
    }
  }

  /** The messages of a replay page this user may see. */
  private visible(page: readonly ReplayEvent[], userId: number): Buffer[] {
    const out: Buffer[] = [];
    for (const e of page) {
      let wire: WireEvent;
      try {
        wire = toWireEvent(e, this.opts.maxMessageBytes);
      } catch (err) {
        this.log.error({ err, eventId: e.id }, "event not serializable; skipped in a replay");
        continue;
      }
      if (wire.recipient === null || wire.recipient === userId) out.push(encode(wire.text));
    }
    return out;
  }

  // ---- log tail (several processes) ----------------------------------------------------------------------------

  private tail: { cursor: number; ready: Promise<void>; version: number; timer: NodeJS.Timeout; pumping: boolean; again: boolean } | null =
    null;

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
    tail.ready = this.db
      .read((q) => lastEventId(q))
      .then((last) => {
        tail.cursor = last;
        this.deliveredUpTo = Math.max(this.deliveredUpTo, last);
      });
    this.tail = tail;
    // Own commits: read at once, and the HTTP response waits for them (`settled`) as in commit mode.
    this.detach = this.db.onCommit((events) => {
      const last = events[events.length - 1]?.id ?? 0;
      if (last > this.committedUpTo) this.committedUpTo = last;
      void this.pump();
    });
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
          page = await this.db.read((q) => eventsSince(q, tail.cursor, REPLAY_PAGE_EVENTS));
          if (this.tail !== tail) return;
          if (page.length) {
            tail.cursor = page[page.length - 1].id;
            this.enqueue(page);
            if (this.peers.size === 0) this.settle();
          }
        } while (page.length === REPLAY_PAGE_EVENTS);
      } while (tail.again);
    } catch (err) {
      this.log.error({ err }, "event log tail failed; retrying on the next tick");
      tail.version = -1;
    } finally {
      tail.pumping = false;
    }
  }

  // ---- sending -------------------------------------------------------------------------------------------------

  /** Sends one message unless the peer stopped reading; such a peer is dropped, never buffered without bound. */
  private sendRaw(conn: SocketConnection, state: PeerState, data: Buffer): boolean {
    if (conn.bufferedBytes() > this.opts.maxBufferedBytes) {
      this.drop(conn, state, "send buffer over the bound (peer not reading)");
      return false;
    }
    try {
      conn.send(data);
      return true;
    } catch (err) {
      this.drop(conn, state, `send failed: ${(err as Error).message}`);
      return false;
    }
  }

  private sendBatchTo(conn: SocketConnection, state: PeerState, batch: MessageBatch): boolean {
    if (conn.bufferedBytes() > this.opts.maxBufferedBytes) {
      this.drop(conn, state, "send buffer over the bound (peer not reading)");
      return false;
    }
    try {
      conn.sendBatch(batch);
      return true;
    } catch (err) {
      this.drop(conn, state, `send failed: ${(err as Error).message}`);
      return false;
    }
  }

  private forget(conn: SocketConnection, state: PeerState): void {
    if (this.peers.get(conn) !== state) return;
    this.peers.delete(conn);
    const n = (this.perUser.get(state.userId) ?? 1) - 1;
    if (n > 0) this.perUser.set(state.userId, n);
    else this.perUser.delete(state.userId);
  }

  private drop(conn: SocketConnection, state: PeerState, why: string): void {
    this.forget(conn, state);
    this.droppedCount++;
    this.log.warn({ userId: state.userId, why }, "realtime peer dropped");
    try {
      conn.terminate();
    } catch {
      // already gone
    }
  }
}
