import { setTimeout as sleep } from "node:timers/promises";
import type { Deps } from "../function.ts";
import { unauthorized } from "../errors.ts";
import { nowIso } from "../time.ts";
import { DUMMY_HASH, hashPassword, needsRehash, verifyPassword } from "./passwords.ts";
import { findUserForLogin, updateUser } from "./users.ts";
import { emitUserChanged } from "./user-events.ts";

export const LOGIN_FAILED = "Usuário ou senha inválidos";

/**
 * A failed login is answered no sooner than this after it started, so its timing says nothing about why it failed,
 * even for legacy hashes of a higher cost (the original's cost 12 takes ~280 ms in bcryptjs).
 */
export const LOGIN_FAILURE_MIN_MS = 500;

/**
 * Checks a username and password and issues a session token.
 * Unknown user, wrong password and inactive user all fail the same way: one 401, after the same bcrypt work
 * (the password is compared before the account state is looked at) and no sooner than LOGIN_FAILURE_MIN_MS.
 * Attempts are rate-limited per client address and per username (429 with Retry-After).
 */
export async function login(deps: Pick<Deps, "db" | "tokens" | "auth">, ip: string, username: string, password: string) {
  const started = performance.now();
  deps.auth.limiter.begin(ip, username);
  const user = await deps.db.read((q) => findUserForLogin(q, username));
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok || !user.isActive) {
    await sleep(Math.max(0, started + LOGIN_FAILURE_MIN_MS - performance.now()));
    throw unauthorized(LOGIN_FAILED);
  }
  deps.auth.limiter.succeeded(ip, username);
  if (needsRehash(user.passwordHash)) {
    const passwordHash = await hashPassword(password);
    await deps.db.write((tx) => {
      updateUser(tx, user.id, { passwordHash }, nowIso());
      emitUserChanged(tx, user.id, user); // updated_at moved; no password material leaves
    });
  }
  const { token } = await deps.tokens.sign(user);
  return {
    success: true,
    user_id: user.id,
    username: user.username,
    is_admin: user.isAdmin,
    setor: user.setor,
    session_token: token,
    message: "Login realizado com sucesso",
  };
}
