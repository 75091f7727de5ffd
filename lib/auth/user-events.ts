import type { CommittedEvent, Tx } from "../db/connection.ts";
import { findUserById, type UserRecord } from "./users.ts";
import { toUserRead } from "./user-wire.ts";

/**
 * Events of user writes, appended in the write's transaction like every other change, so outside systems (the
 * sync mirror's `pwa_users`) follow users from the event log. They carry the public user fields only, never the
 * password hash, and they are server-only: the realtime hub never sends them to sockets (`lib/events/wire.ts`).
 */
export const USER_CHANGED = "user_changed";
export const USER_DELETED = "user_deleted";

type Actor = { id: number; username: string } | null | undefined;

/**
 * `user_changed` `{type, user: {id, username, is_admin, is_active, setor, created_at, updated_at}, previous_username?}`
 * for the user as it is now in `tx` (after the write). `previousUsername` is set by a rename, so a mirror keyed by
 * username can drop the old name.
 */
export function emitUserChanged(tx: Tx, userId: number, actor?: Actor, previousUsername?: string | null): CommittedEvent | null {
  const user = findUserById(tx, userId);
  if (!user) return null;
  const payload: Record<string, unknown> = { type: USER_CHANGED, user: toUserRead(user) };
  if (previousUsername && previousUsername !== user.username) payload.previous_username = previousUsername;
  return tx.emit({ type: USER_CHANGED, orderId: null, payload, actor: actor ?? null });
}

/** `user_deleted` `{type, user_id, username}`; `user` is the row as it was before the delete. */
export function emitUserDeleted(tx: Tx, user: UserRecord, actor?: Actor): CommittedEvent {
  return tx.emit({
    type: USER_DELETED,
    orderId: null,
    payload: { type: USER_DELETED, user_id: user.id, username: user.username },
    actor: actor ?? null,
  });
}
