import type { Sql } from "../db/connection.ts";

/** A user row mapped to what the code uses (never the hash unless asked). */
export interface UserRecord {
  id: number;
  username: string;
  isAdmin: boolean;
  isActive: boolean;
  setor: string;
  createdAt: string | null;
  updatedAt: string | null;
  /** Tokens issued before this (ms) are refused, except `sessionsKeepJti` (see `endSessions`). 0 = none. */
  sessionsNotBefore: number;
  sessionsKeepJti: string | null;
}

interface UserRow {
  id: number;
  username: string;
  is_admin: number;
  is_active: number;
  setor: string | null;
  created_at: string | null;
  updated_at: string | null;
  sessions_not_before: number | null;
  sessions_keep_jti: string | null;
}

const COLUMNS = `id, username, is_admin, is_active, setor, created_at, updated_at, sessions_not_before, sessions_keep_jti`;

export const toUserRecord = (r: UserRow): UserRecord => ({
  id: r.id,
  username: r.username,
  isAdmin: !!r.is_admin,
  isActive: !!r.is_active,
  setor: r.setor ?? "geral",
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  sessionsNotBefore: Number(r.sessions_not_before ?? 0),
  sessionsKeepJti: r.sessions_keep_jti,
});

export function findUserById(q: Sql, id: number): UserRecord | null {
  const r = q.get<UserRow>(`SELECT ${COLUMNS} FROM "user" WHERE id = ?`, id);
  return r ? toUserRecord(r) : null;
}

export function findUserForLogin(q: Sql, username: string): (UserRecord & { passwordHash: string }) | null {
  const r = q.get<UserRow & { password_hash: string }>(`SELECT ${COLUMNS}, password_hash FROM "user" WHERE username = ?`, username);
  return r ? { ...toUserRecord(r), passwordHash: r.password_hash } : null;
}

export function isTokenRevoked(q: Sql, jti: string): boolean {
  return !!q.get("SELECT 1 AS x FROM revoked_tokens WHERE jti = ? OR token = ?", jti, jti);
}

export function countActiveAdmins(q: Sql): number {
  return q.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "user" WHERE is_admin = 1 AND is_active = 1`)!.n;
}

export function insertUser(
  q: Sql,
  u: { username: string; passwordHash: string; isAdmin: boolean; isActive: boolean; setor: string },
  now: string,
): number {
  return q.run(
    `INSERT INTO "user" (username, password_hash, is_admin, is_active, setor, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    u.username,
    u.passwordHash,
    u.isAdmin ? 1 : 0,
    u.isActive ? 1 : 0,
    u.setor,
    now,
    now,
  ).lastInsertRowid;
}

export function listUsers(q: Sql): UserRecord[] {
  return q.all<UserRow>(`SELECT ${COLUMNS} FROM "user" ORDER BY id`).map(toUserRecord);
}

export function usernameTaken(q: Sql, username: string, exceptId: number | null = null): boolean {
  return !!q.get(`SELECT 1 AS x FROM "user" WHERE username = ? AND id IS NOT ?`, username, exceptId);
}

/** The columns a user update may set; absent keys are left as they are. */
export interface UserChanges {
  username?: string;
  passwordHash?: string;
  isAdmin?: boolean;
  isActive?: boolean;
  setor?: string;
}

export function updateUser(q: Sql, id: number, c: UserChanges, now: string): void {
  const sets: string[] = [];
  const params: (string | number)[] = [];
  const set = (column: string, value: string | number | undefined) => {
    if (value === undefined) return;
    sets.push(`${column} = ?`);
    params.push(value);
  };
  set("username", c.username);
  set("password_hash", c.passwordHash);
  set("is_admin", c.isAdmin === undefined ? undefined : c.isAdmin ? 1 : 0);
  set("is_active", c.isActive === undefined ? undefined : c.isActive ? 1 : 0);
  set("setor", c.setor);
  set("updated_at", now);
  q.run(`UPDATE "user" SET ${sets.join(", ")} WHERE id = ?`, ...params, id);
}

/**
 * Ends every session of a user issued until now (a password change or reset): their tokens are refused on the next
 * request, and their sockets are closed by the session sweep. `keepJti` keeps one (the caller changing their own
 * password stays logged in). The user row changes, so the auth epoch moves and every process drops its cache.
 */
export function endSessions(q: Sql, userId: number, keepJti: string | null, nowMs = Date.now()): void {
  q.run(`UPDATE "user" SET sessions_not_before = ?, sessions_keep_jti = ? WHERE id = ?`, nowMs, keepJti, userId);
}

/** True when a token issued at `issuedAtMs` with id `jti` was ended by `endSessions`. */
export const sessionEnded = (user: UserRecord, issuedAtMs: number, jti: string): boolean =>
  issuedAtMs < user.sessionsNotBefore && jti !== user.sessionsKeepJti;

export function deleteUser(q: Sql, id: number): boolean {
  return q.run(`DELETE FROM "user" WHERE id = ?`, id).changes > 0;
}

/** Records a token as revoked until it expires (the row is purged after that). */
export function revokeToken(q: Sql, t: { jti: string; userId: number; expiresAt: string }, now: string): void {
  q.run(
    `INSERT INTO revoked_tokens (jti, user_id, expires_at, revoked_at) VALUES (?, ?, ?, ?) ON CONFLICT(jti) DO NOTHING`,
    t.jti,
    t.userId,
    t.expiresAt,
    now,
  );
}

/** Drops revocations of tokens that have expired anyway (an expired token is refused without them). */
export function purgeExpiredRevocations(q: Sql, now: string): number {
  return q.run(`DELETE FROM revoked_tokens WHERE expires_at < ?`, now).changes;
}
