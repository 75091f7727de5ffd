import type { Caller, Deps, Guard } from "../function.ts";
import { forbidden, unauthorized } from "../errors.ts";
import { bearerOf } from "./tokens.ts";
import { findUserById, isTokenRevoked, sessionEnded } from "./users.ts";

type AuthDeps = Pick<Deps, "db" | "tokens" | "auth">;

/**
 * The one guard. Resolves the caller of a request from its bearer token and enforces `guard`:
 * missing, malformed, expired, wrongly signed or revoked token, or an inactive or deleted user → 401;
 * a non-admin on an admin route → 403. On public routes a valid token still identifies the caller.
 */
export async function authenticate(deps: AuthDeps, headers: Headers, guard: Guard, token = bearerOf(headers)): Promise<Caller | null> {
  if (!token) {
    if (guard === "public") return null;
    throw unauthorized("Não autenticado");
  }
  const caller = await callerOf(deps, token);
  if (!caller.ok) {
    if (guard === "public") return null;
    throw unauthorized(caller.reason);
  }
  if (guard === "admin" && !caller.value.isAdmin) throw forbidden();
  return caller.value;
}

type Resolved = { ok: true; value: Caller } | { ok: false; reason: string };

/**
 * The caller a token stands for, or why it stands for nobody.
 * Hot path: a session resolved earlier under the current auth epoch (one point select). Otherwise the JWT is
 * verified and revocation and the user's state are read, after reading the epoch the result will be cached under.
 */
export async function callerOf(deps: AuthDeps, token: string): Promise<Resolved> {
  const cached = await deps.db.read((q) => deps.auth.sessions.lookup(q, token));
  if (cached) return { ok: true, value: cached };
  const claims = await deps.tokens.verify(token);
  if (!claims) return { ok: false, reason: "Token inválido ou expirado" };
  return deps.db.read((q): Resolved => {
    const epoch = deps.auth.sessions.currentEpoch(q);
    if (isTokenRevoked(q, claims.jti)) return { ok: false, reason: "Token revogado" };
    const user = findUserById(q, claims.user_id);
    if (!user?.isActive) return { ok: false, reason: "Usuário inativo ou inexistente" };
    if (sessionEnded(user, claims.issuedAtMs, claims.jti))
      return { ok: false, reason: "Sessão encerrada após troca de senha: faça login novamente" };
    const caller: Caller = {
      id: user.id,
      username: user.username,
      isAdmin: user.isAdmin,
      setor: user.setor,
      tokenId: claims.jti,
      tokenExp: claims.exp,
      token,
    };
    deps.auth.sessions.remember(token, caller, epoch);
    return { ok: true, value: caller };
  });
}
