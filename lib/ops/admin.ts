// Account recovery from the command line: what an IT person runs when the admin password is lost (the generated
// one is printed once), or when a new admin is needed without one to log in with.
import type { Db } from "../db/connection.ts";
import { badRequest, conflict, notFound } from "../errors.ts";
import { nowIso } from "../time.ts";
import { assertNewPassword, hashPassword } from "../auth/passwords.ts";
import { endSessions, findUserForLogin, insertUser, updateUser, usernameTaken, type UserRecord } from "../auth/users.ts";

/** Creates an active admin. @throws AppError 409 when the name is taken, 400 for a password the rule refuses. */
export async function createAdmin(db: Db, username: string, password: string, setor = "geral"): Promise<UserRecord> {
  const name = username.trim();
  if (!name || name.length > 64) throw badRequest("Nome de usuário deve ter de 1 a 64 caracteres");
  assertNewPassword(password);
  if (await db.read((q) => usernameTaken(q, name))) throw conflict(`Usuário "${name}" já existe (use admin reset-password)`);
  const passwordHash = await hashPassword(password);
  return db.write((tx) => {
    if (usernameTaken(tx, name)) throw conflict(`Usuário "${name}" já existe (use admin reset-password)`);
    const now = nowIso();
    insertUser(tx, { username: name, passwordHash, isAdmin: true, isActive: true, setor }, now);
    return findUserForLogin(tx, name)!;
  });
}

/**
 * Sets a user's password, reactivates the account if it was deactivated, and ends every session it had (HTTP and
 * WebSocket, in every process: lib/auth/users.ts `endSessions`), all in one transaction.
 */
export async function resetPassword(db: Db, username: string, password: string): Promise<{ user: UserRecord; reactivated: boolean }> {
  assertNewPassword(password);
  const before = await db.read((q) => findUserForLogin(q, username));
  if (!before) throw notFound(`Usuário "${username}" não encontrado`);
  const passwordHash = await hashPassword(password);
  return db.write((tx) => {
    const user = findUserForLogin(tx, username);
    if (!user) throw notFound(`Usuário "${username}" não encontrado`);
    updateUser(tx, user.id, { passwordHash, isActive: true }, nowIso());
    endSessions(tx, user.id, null);
    return { user: findUserForLogin(tx, username)!, reactivated: !user.isActive };
  });
}
