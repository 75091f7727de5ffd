import { AppError } from "../errors.ts";

/**
 * Counts failures per key in a fixed window that opens at the key's first failure.
 * Bounded: at most `maxKeys` keys; when full, expired windows go first, then the oldest one.
 * note: a window's deadline is set when its key is inserted and never moved, so Map insertion order is also
 * deadline order and eviction only ever looks at the front.
 */
export class FailureCounter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(
    readonly maxFailures: number,
    readonly windowMs: number,
    readonly maxKeys = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until `key` may try again, or 0 when it is not blocked. */
  blockedFor(key: string): number {
    const w = this.windows.get(key);
    if (!w) return 0;
    const left = w.resetAt - this.now();
    if (left <= 0) {
      this.windows.delete(key);
      return 0;
    }
    return w.count >= this.maxFailures ? left : 0;
  }

  fail(key: string): void {
    const now = this.now();
    const w = this.windows.get(key);
    if (w && w.resetAt > now) {
      w.count++;
      return;
    }
    if (w) this.windows.delete(key);
    this.evict(now);
    this.windows.set(key, { count: 1, resetAt: now + this.windowMs });
  }

  /** Takes back one failure (an attempt counted up front that turned out fine). */
  forgive(key: string): void {
    const w = this.windows.get(key);
    if (w && w.count > 0) w.count--;
  }

  reset(key: string): void {
    this.windows.delete(key);
  }

  get size(): number {
    return this.windows.size;
  }

  private evict(now: number): void {
    for (const [key, w] of this.windows) {
      if (this.windows.size < this.maxKeys && w.resetAt > now) return;
      this.windows.delete(key);
    }
  }
}

/**
 * Login attempts limited per client address and per username (10 failures a minute each, by default).
 * Every attempt counts as a failure when it starts, so parallel guesses cannot all slip through while the
 * password is being checked; a successful one is then taken back, and also clears its username's count
 * (not the address's, so a valid account cannot reset an address that is guessing others).
 */
export class LoginRateLimiter {
  readonly byAddress: FailureCounter;
  readonly byUsername: FailureCounter;

  constructor(opts: { maxFailures?: number; windowMs?: number; maxKeys?: number; now?: () => number } = {}) {
    const { maxFailures = 10, windowMs = 60_000, maxKeys = 10_000, now } = opts;
    this.byAddress = new FailureCounter(maxFailures, windowMs, maxKeys, now);
    this.byUsername = new FailureCounter(maxFailures, windowMs, maxKeys, now);
  }

  /**
   * Admits one attempt and counts it as a failure until `succeeded` says otherwise.
   * @throws AppError 429 with `Retry-After` (seconds) when the address or the username is blocked.
   */
  begin(ip: string, username: string): void {
    const ms = Math.max(this.byAddress.blockedFor(ip), this.byUsername.blockedFor(usernameKey(username)));
    if (ms > 0) {
      const secs = Math.ceil(ms / 1000);
      throw new AppError(429, `Muitas tentativas de login. Tente novamente em ${secs} s.`, { "Retry-After": String(secs) });
    }
    this.byAddress.fail(ip);
    this.byUsername.fail(usernameKey(username));
  }

  succeeded(ip: string, username: string): void {
    this.byAddress.forgive(ip);
    this.byUsername.reset(usernameKey(username));
  }
}

// Case variants of one name share a counter, so they cannot multiply the attempts against it.
const usernameKey = (username: string) => username.trim().toLowerCase();
