import type { Deps } from "../function.ts";
import { unauthorized } from "../errors.ts";
import { DUMMY_HASH, verifyPassword } from "./passwords.ts";
import { findUserForLogin } from "./users.ts";

export const LOGIN_FAILED = "Usuário ou senha inválidos";

/**
 * Checks a username and password and issues a session token.
 * Unknown user, wrong password and inactive user all fail the same way, after the same bcrypt work
 * (the password is compared before the account state is looked at).
 */
export async function login(deps: Pick<Deps, "db" | "tokens">, username: string, password: string) {
  const user = await deps.db.read((q) => findUserForLogin(q, username));
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok || !user.isActive) throw unauthorized(LOGIN_FAILED);
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
