import type { Db } from "../db/connection.ts";
import { AppError } from "../errors.ts";

/**
 * Login attempts, limited in the database so every process (`--workers`) and every restart sees the same counts:
 * - per client address: `perAddress` failures a window (one machine trying many names);
 * - per (username, address): `perUserAddress` failures a window — the lockout. It is keyed by the address too, so
 *   wrong passwords typed elsewhere (or by an attacker) can never lock the real admin out of their own machine.
 * Every attempt counts as a failure when it starts, so parallel guesses cannot all slip through while the password
 * is being checked; a successful one is then taken back on the address and clears its (username, address) pair.
 * Windows are fixed: they open at a key's first failure. Table `login_attempts` (migration 010); rows of ended
 * windows are purged as attempts come in, so it stays small.
 */
export class LoginRateLimiter {
  readonly perAddress: number;
  readonly perUserAddress: number;
  readonly windowMs: number;
  private readonly now: () => number;
  private calls = 0;

  constructor(
    private readonly db: Pick<Db, "writeSync">,
    opts: { perAddress?: number; perUserAddress?: number; windowMs?: number; now?: () => number } = {},
  ) {
    this.perAddress = opts.perAddress ?? 30;
    this.perUserAddress = opts.perUserAddress ?? 10;
    this.windowMs = opts.windowMs ?? 60_000;
    this.now = opts.now ?? Date.now;
  }

  /**
   * Admits one attempt and counts it as a failure until `succeeded` says otherwise.
   * @throws AppError 429 with `Retry-After` (seconds) when the address or the (username, address) pair is blocked.
   */
  begin(ip: string, username: string): void {
    const now = this.now();
    const keys: [string, number][] = [
      [addressKey(ip), this.perAddress],
      [pairKey(username, ip), this.perUserAddress],
    ];
    const waitMs = this.db.writeSync((tx) => {
      if (++this.calls % 100 === 1) tx.run("DELETE FROM login_attempts WHERE window_ends <= ?", now);
      let wait = 0;
      for (const [key, max] of keys) {
        const row = tx.get<{ failures: number; window_ends: number }>(
          "SELECT failures, window_ends FROM login_attempts WHERE key = ?",
          key,
        );
        if (row && row.window_ends > now && row.failures >= max) wait = Math.max(wait, row.window_ends - now);
      }
      if (wait > 0) return wait;
      for (const [key] of keys) {
        tx.run(
          `INSERT INTO login_attempts (key, failures, window_ends) VALUES (?, 1, ?)
           ON CONFLICT(key) DO UPDATE SET
             failures = CASE WHEN window_ends > ? THEN failures + 1 ELSE 1 END,
             window_ends = CASE WHEN window_ends > ? THEN window_ends ELSE excluded.window_ends END`,
          key,
          now + this.windowMs,
          now,
          now,
        );
      }
      return 0;
    });
    if (waitMs > 0) {
      const secs = Math.ceil(waitMs / 1000);
      throw new AppError(429, `Muitas tentativas de login. Tente novamente em ${secs} s.`, { "Retry-After": String(secs) });
    }
  }

  /** The attempt was right: takes its failure back from the address and clears the (username, address) pair. */
  succeeded(ip: string, username: string): void {
    this.db.writeSync((tx) => {
      tx.run("UPDATE login_attempts SET failures = MAX(0, failures - 1) WHERE key = ?", addressKey(ip));
      tx.run("DELETE FROM login_attempts WHERE key = ?", pairKey(username, ip));
    });
  }

  /** Forgets every count (tests; an admin unlocking everyone). */
  clear(): void {
    this.db.writeSync((tx) => tx.run("DELETE FROM login_attempts"));
  }
}

const addressKey = (ip: string) => `a:${ip}`;
// Case variants of one name share a counter, so they cannot multiply the attempts against it.
const pairKey = (username: string, ip: string) => `u:${username.trim().toLowerCase()}|${ip}`;
