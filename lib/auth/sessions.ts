import type { Caller } from "../function.ts";
import type { Sql } from "../db/connection.ts";
import { authEpochTriggersPresent, readAuthEpoch } from "./epoch.ts";

/**
 * Resolved sessions (token → caller), so an authenticated request costs one point select (the auth epoch) instead
 * of a JWT verify, a revocation lookup and a user lookup.
 * Every entry belongs to the epoch read before its checks ran; any user change or revocation, by any code or
 * process, bumps the epoch in the same transaction (triggers, migration 002), which drops every entry at once.
 * Entries also end with their token's `exp`. Bounded: the oldest entry goes first.
 */
export class SessionCache {
  private readonly entries = new Map<string, Caller>();
  private epoch: number | null = null;
  private enabled: boolean | null = null;

  constructor(private readonly maxEntries = 20_000) {}

  /** The cached caller of `token`, if its epoch is current and it has not expired. */
  lookup(q: Sql, token: string, nowSecs = Math.floor(Date.now() / 1000)): Caller | null {
    if (!this.sync(q)) return null;
    const hit = this.entries.get(token);
    if (!hit) return null;
    if (hit.tokenExp > nowSecs) return hit;
    this.entries.delete(token);
    return null;
  }

  /**
   * Reads the epoch that the caller's checks will be valid for. Call it BEFORE checking revocation and the user,
   * in the same synchronous block, then `remember` with what it returned.
   */
  currentEpoch(q: Sql): number | null {
    return this.sync(q) ? this.epoch : null;
  }

  remember(token: string, caller: Caller, epoch: number | null): void {
    if (epoch === null || epoch !== this.epoch) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(token, caller);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Reads the epoch; a new one empties the cache. False when caching is off (the epoch triggers are missing). */
  private sync(q: Sql): boolean {
    if (this.enabled === null) {
      this.enabled = authEpochTriggersPresent(q);
      // Still correct without them (every request is checked in full), only slower: say so once.
      if (!this.enabled) process.emitWarning("SGP: auth epoch triggers missing (see migration 002); session cache disabled");
    }
    if (!this.enabled) return false;
    const epoch = readAuthEpoch(q);
    if (epoch !== this.epoch) {
      this.entries.clear();
      this.epoch = epoch;
    }
    return epoch !== null;
  }
}
