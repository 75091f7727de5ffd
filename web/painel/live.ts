/**
 * The board's realtime feed: `/ws/orders` on the page's origin, the token in the `bearer` subprotocol (never in
 * the URL, so it stays out of logs). It keeps the `event_id` of the last message as its cursor and resumes with
 * `?since=<cursor>` after any drop (a server restart included), so nothing is missed or applied twice; the server
 * answers `resync` when it cannot replay (too far behind, or a restored database), and the board reloads.
 */

export type LiveStatus = "conectando" | "ao-vivo" | "reconectando";

/** A server message that carries an order event. */
export interface OrderMessage {
  type: string;
  event_id: number;
  order_id?: number | string;
  order?: unknown;
}

export interface LiveHandlers {
  /** The socket is (re)connected. `resumed`: it continued from the cursor, so no event was missed. */
  connected(resumed: boolean): void;
  /** The server cannot replay what was missed: reload everything. */
  resync(): void;
  event(m: OrderMessage): void;
  status(s: LiveStatus): void;
  /** The session is over (logout, expiry, deactivation): the socket was closed with 1008 or refused with 401. */
  sessionEnded(): void;
  /** Asks the API whether the token is still valid (after the socket was refused). */
  checkSession(): Promise<"valid" | "invalid" | "unreachable">;
}

const PING_EVERY_MS = 20_000;
/** The server pings every 25 s and answers our pings: this long without a message means a dead connection. */
const SILENCE_MS = 45_000;
const MAX_DELAY_MS = 10_000;

export class LiveFeed {
  private ws: WebSocket | null = null;
  private cursor: number | null = null;
  private failures = 0;
  private opened = false;
  private lastMessage = 0;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private ticker: ReturnType<typeof setInterval> | null = null;
  private stopped = false;

  constructor(
    private readonly token: string,
    private readonly h: LiveHandlers,
  ) {}

  start(): void {
    this.stopped = false;
    this.ticker = setInterval(() => this.tick(), 5_000);
    addEventListener("online", this.wake);
    document.addEventListener("visibilitychange", this.wake);
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    if (this.ticker) clearInterval(this.ticker);
    removeEventListener("online", this.wake);
    document.removeEventListener("visibilitychange", this.wake);
    this.ws?.close(1000);
    this.ws = null;
  }

  /** The cursor (last event id received), for diagnostics. */
  get position(): number | null {
    return this.cursor;
  }

  /** Back online or visible again while waiting to reconnect: try now. */
  private readonly wake = () => {
    if (!this.stopped && !this.ws && document.visibilityState !== "hidden") {
      if (this.retry) clearTimeout(this.retry);
      this.connect();
    }
  };

  private connect(): void {
    this.retry = null;
    this.opened = false;
    this.h.status(this.failures ? "reconectando" : "conectando");
    const url = new URL("/ws/orders", location.href);
    url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
    if (this.cursor !== null) url.searchParams.set("since", String(this.cursor));
    let ws: WebSocket;
    try {
      ws = new WebSocket(url, ["bearer", this.token]);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      this.opened = true;
      this.lastMessage = Date.now();
    };
    ws.onmessage = (e) => this.receive(e.data);
    ws.onclose = (e) => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.stopped) return;
      if (e.code === 1008) return this.h.sessionEnded();
      this.scheduleReconnect();
    };
  }

  private receive(data: unknown): void {
    this.lastMessage = Date.now();
    if (typeof data !== "string") return;
    let m: OrderMessage;
    try {
      m = JSON.parse(data) as OrderMessage;
    } catch {
      return;
    }
    if (!m || typeof m !== "object") return;
    if (m.type === "connected") {
      const resumed = this.cursor !== null;
      if (!resumed && typeof m.event_id === "number") this.cursor = m.event_id;
      this.failures = 0;
      this.h.status("ao-vivo");
      this.h.connected(resumed);
    } else if (m.type === "resync") {
      if (typeof m.event_id === "number") this.cursor = m.event_id;
      this.h.resync();
    } else if (typeof m.event_id === "number") {
      if (this.cursor !== null && m.event_id <= this.cursor) return; // already applied
      this.cursor = m.event_id;
      this.h.event(m);
    }
  }

  private scheduleReconnect(): void {
    this.failures++;
    this.h.status("reconectando");
    const refusedOrDown = !this.opened;
    const delay = Math.min(MAX_DELAY_MS, 500 * 2 ** Math.min(this.failures - 1, 5)) * (0.8 + Math.random() * 0.4);
    const go = () => {
      this.retry = setTimeout(() => this.connect(), delay);
    };
    // A socket refused before it opened is either a server that is down or a token it no longer accepts (401 at the
    // upgrade looks the same to a browser): ask the API which.
    if (refusedOrDown && this.failures >= 2) {
      this.h.checkSession().then((s) => (this.stopped ? undefined : s === "invalid" ? this.h.sessionEnded() : go()), go);
    } else go();
  }

  private tick(): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    if (Date.now() - this.lastMessage > SILENCE_MS) {
      // Half-open (the server or the network died without a close): its close event could take minutes.
      ws.onclose = ws.onmessage = null;
      this.ws = null;
      ws.close(4000, "sem resposta");
      this.scheduleReconnect();
      return;
    }
    if (Date.now() - this.lastMessage > PING_EVERY_MS - 5_000) ws.send('{"type":"ping"}');
  }
}
