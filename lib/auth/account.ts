import type { Caller, Deps } from "../function.ts";
import { badRequest, unauthorized } from "../errors.ts";
import { nowIso, toIsoUtc } from "../time.ts";
import { assertNewPassword, hashPassword, verifyPassword } from "./passwords.ts";
import { endSessions, findUserForLogin, purgeExpiredRevocations, revokeToken, updateUser } from "./users.ts";
import { emitUserChanged } from "./user-events.ts";

/** Revokes the caller's token at once (for every process: the guard's cache is keyed to the auth epoch). */
export async function logout(db: Deps["db"], caller: Caller) {
  await db.write((tx) => {
    const now = nowIso();
    purgeExpiredRevocations(tx, now);
    revokeToken(tx, { jti: caller.tokenId, userId: caller.id, expiresAt: toIsoUtc(caller.tokenExp)! }, now);
  });
  return { success: true, message: "Logout realizado com sucesso" };
}

/**
 * Changes the caller's own password after checking the current one. Wrong guesses count against the login
 * rate limit of the caller's address and name, so a stolen session cannot be used to guess the password.
 */
export async function changePassword(deps: Pick<Deps, "db" | "auth">, caller: Caller, ip: string, current: string, next: string) {
  deps.auth.limiter.begin(ip, caller.username);
  const user = await deps.db.read((q) => findUserForLogin(q, caller.username));
  if (!user || user.id !== caller.id) throw unauthorized("Usuário inativo ou inexistente");
  if (!(await verifyPassword(current, user.passwordHash))) throw badRequest("Senha atual incorreta");
  deps.auth.limiter.succeeded(ip, caller.username);
  assertNewPassword(next, "Nova senha");
  const passwordHash = await hashPassword(next);
  // Every other session of this user ends with the old password (a stolen token stops working); this one stays.
  await deps.db.write((tx) => {
    updateUser(tx, caller.id, { passwordHash }, nowIso());
    endSessions(tx, caller.id, caller.tokenId);
    emitUserChanged(tx, caller.id, caller); // updated_at moved; no password material leaves
  });
  return { success: true, message: "Senha alterada com sucesso" };
}
