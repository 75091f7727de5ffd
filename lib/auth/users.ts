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
}

interface UserRow {
  id: number;
  username: string;
  is_admin: number;
  is_active: number;
  setor: string | null;
  created_at: string | null;
  updated_at: string | null;
}

const COLUMNS = `id, username, is_admin, is_active, setor, created_at, updated_at`;

export const toUserRecord = (r: UserRow): UserRecord => ({
  id: r.id,
  username: r.username,
  isAdmin: !!r.is_admin,
  isActive: !!r.is_active,
  setor: r.setor ?? "geral",
  createdAt: r.created_at,
  updatedAt: r.updated_at,
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
    u.username, u.passwordHash, u.isAdmin ? 1 : 0, u.isActive ? 1 : 0, u.setor, now, now,
  ).lastInsertRowid;
}
