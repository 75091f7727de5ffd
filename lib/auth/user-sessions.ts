import type { Sql } from "../db/connection.ts";

/**
 * Ending every session of a user at once (a password reset by `sgp admin reset-password`, …) through the existing
 * revocation table: one row per user, `jti = "sessions-before:<user id>"`, whose `revoked_at` is a cut-off. A token
 * of that user issued before it is revoked, HTTP and WebSocket alike. Writing the row bumps the auth epoch (the
 * revocation triggers of migration 002), so every process's session cache drops at once and open sockets close at
 * the next session sweep.
 * note: tokens carry `iat` with millisecond precision (lib/auth/tokens.ts); the original's tokens have none and
 * count as issued at 0, so a cut-off ends them too.
 */
const cutoffJti = (userId: number) => `sessions-before:${userId}`;

/** The longest a token can live (`ACCESS_TOKEN_EXPIRE_MINUTES` is at most 30 days): the row is purged after that. */
const MAX_TOKEN_LIFETIME_MS = 30 * 24 * 3600 * 1000;

/** Revokes every token of `userId` issued before `atMs` (default: now). Run it inside a write transaction. */
export function endUserSessions(q: Sql, userId: number, atMs = Date.now()): void {
  const at = new Date(atMs).toISOString();
  const until = new Date(atMs + MAX_TOKEN_LIFETIME_MS).toISOString();
  q.run(
    `INSERT INTO revoked_tokens (jti, user_id, expires_at, revoked_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(jti) DO UPDATE SET revoked_at = excluded.revoked_at, expires_at = excluded.expires_at`,
    cutoffJti(userId), userId, until, at,
  );
}

/** True when a token of `userId` issued at `iatSecs` (seconds, fractional) predates its user's session cut-off. */
export function issuedBeforeCutoff(q: Sql, userId: number, iatSecs: number): boolean {
  const row = q.get<{ revoked_at: string }>("SELECT revoked_at FROM revoked_tokens WHERE jti = ?", cutoffJti(userId));
  return !!row && iatSecs * 1000 < Date.parse(row.revoked_at);
}
