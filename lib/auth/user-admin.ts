import type { Db, Sql } from "../db/connection.ts";
import { badRequest, conflict, notFound } from "../errors.ts";
import { nowIso } from "../time.ts";
import { assertNewPassword, hashPassword } from "./passwords.ts";
import { emitUserChanged, emitUserDeleted } from "./user-events.ts";
import type { UserCreateInput, UserPatchInput } from "./user-schemas.ts";
import {
  countActiveAdmins,
  deleteUser,
  endSessions,
  findUserById,
  insertUser,
  updateUser,
  usernameTaken,
  type UserChanges,
  type UserRecord,
} from "./users.ts";

export const USERNAME_TAKEN = "Nome de usuário já está em uso";
export const USER_NOT_FOUND = "Usuário não encontrado";
export const LAST_ADMIN = "Não é possível excluir, desativar ou remover o perfil do último administrador ativo";

const setorOf = (s: string | null | undefined) => (s ? s : "geral");

/**
 * Creates a user. The username is checked before the (slow) hash and again inside the transaction, so the answer
 * is the original's 400 whatever the timing; the unique index is the last word.
 */
export async function createUser(db: Db, input: UserCreateInput): Promise<UserRecord> {
  if (await db.read((q) => usernameTaken(q, input.username))) throw badRequest(USERNAME_TAKEN);
  assertNewPassword(input.password);
  const passwordHash = await hashPassword(input.password);
  return db.write((tx) => {
    if (usernameTaken(tx, input.username)) throw badRequest(USERNAME_TAKEN);
    const id = insertUser(
      tx,
      { username: input.username, passwordHash, isAdmin: input.is_admin, isActive: input.is_active, setor: setorOf(input.setor) },
      nowIso(),
    );
    emitUserChanged(tx, id);
    return findUserById(tx, id)!;
  });
}

/**
 * Applies a partial update; the last active admin cannot lose its role or be deactivated. A new password (an
 * admin's reset) ends every session of the user; `keepJti` keeps one (an admin resetting their own password).
 */
export async function patchUser(db: Db, id: number, patch: UserPatchInput, opts: { keepJti?: string | null } = {}): Promise<UserRecord> {
  const password = patch.password ? patch.password : null;
  if (password !== null) assertNewPassword(password);
  if (!(await db.read((q) => findUserById(q, id)))) throw notFound(USER_NOT_FOUND);
  const passwordHash = password === null ? undefined : await hashPassword(password);
  return db.write((tx) => {
    const user = findUserById(tx, id);
    if (!user) throw notFound(USER_NOT_FOUND);
    if (patch.username !== undefined && patch.username !== user.username && usernameTaken(tx, patch.username, id)) {
      throw badRequest(USERNAME_TAKEN);
    }
    const losesAdmin = user.isAdmin && user.isActive && (patch.is_admin === false || patch.is_active === false);
    if (losesAdmin) assertNotLastAdmin(tx);
    const changes: UserChanges = {
      username: patch.username,
      passwordHash,
      isAdmin: patch.is_admin,
      isActive: patch.is_active,
      setor: patch.setor === undefined ? undefined : setorOf(patch.setor),
    };
    updateUser(tx, id, changes, nowIso());
    if (passwordHash !== undefined) endSessions(tx, id, opts.keepJti ?? null);
    emitUserChanged(tx, id, null, user.username);
    return findUserById(tx, id)!;
  });
}

export async function removeUser(db: Db, id: number): Promise<void> {
  await db.write((tx) => {
    const user = findUserById(tx, id);
    if (!user) throw notFound(USER_NOT_FOUND);
    if (user.isAdmin && user.isActive) assertNotLastAdmin(tx);
    deleteUser(tx, id);
    emitUserDeleted(tx, user);
  });
}

function assertNotLastAdmin(q: Sql): void {
  if (countActiveAdmins(q) <= 1) throw conflict(LAST_ADMIN);
}
