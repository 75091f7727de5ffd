import type { Sql } from "../db/connection.ts";

const BUMP = `UPDATE auth_epoch SET value = value + 1 WHERE id = 1;`;

/** The triggers that bump the auth epoch (created by migration 002), by name. */
export const AUTH_EPOCH_TRIGGERS: Record<string, string> = {
  trg_auth_epoch_user_update: `CREATE TRIGGER IF NOT EXISTS trg_auth_epoch_user_update AFTER UPDATE ON "user" BEGIN ${BUMP} END`,
  trg_auth_epoch_user_delete: `CREATE TRIGGER IF NOT EXISTS trg_auth_epoch_user_delete AFTER DELETE ON "user" BEGIN ${BUMP} END`,
  trg_auth_epoch_revoke: `CREATE TRIGGER IF NOT EXISTS trg_auth_epoch_revoke AFTER INSERT ON revoked_tokens BEGIN ${BUMP} END`,
  trg_auth_epoch_revoke_update: `CREATE TRIGGER IF NOT EXISTS trg_auth_epoch_revoke_update AFTER UPDATE ON revoked_tokens BEGIN ${BUMP} END`,
};

/** The current auth epoch, or null when the epoch machinery is missing (then nothing may be cached). */
export function readAuthEpoch(q: Sql): number | null {
  return q.get<{ value: number }>(`SELECT value FROM auth_epoch WHERE id = 1`)?.value ?? null;
}

/** True when every epoch trigger exists (a later table rebuild could have dropped them). */
export function authEpochTriggersPresent(q: Sql): boolean {
  const names = Object.keys(AUTH_EPOCH_TRIGGERS);
  const found = q.all<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'trg_auth_epoch_%'`);
  return names.every((n) => found.some((f) => f.name === n));
}
