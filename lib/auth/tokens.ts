import { SignJWT, jwtVerify, errors as joseErrors } from "jose";
import { createSecretKey, randomUUID, type KeyObject } from "node:crypto";

/** The claims SGP tokens carry (the original's `sub` = username and `user_id`, plus `jti` for revocation). */
export interface TokenClaims {
  sub: string;
  user_id: number;
  jti: string;
  exp: number;
  /** When it was issued, in ms (`iat_ms`; `iat` × 1000 for older tokens, 0 for the original's): for session cutoffs. */
  issuedAtMs: number;
}

/**
 * Signs and verifies HS256 JWTs (jose). Verified tokens are cached until they expire, so the hot path does not
 * pay jose's thread-pool round trip on every request; revocation and deactivation are checked by the guard on
 * every request, never cached.
 */
export class TokenService {
  private readonly key: KeyObject;
  private readonly cache = new Map<string, TokenClaims>();

  constructor(
    secret: string,
    private readonly ttlMinutes: number,
    private readonly maxCached = 20_000,
  ) {
    this.key = createSecretKey(Buffer.from(secret, "utf8"));
  }

  async sign(user: { id: number; username: string }): Promise<{ token: string; claims: TokenClaims }> {
    const jti = randomUUID();
    const issuedAtMs = Date.now();
    const exp = Math.floor(issuedAtMs / 1000) + this.ttlMinutes * 60;
    // iat is in seconds; a password change must end the sessions issued before it even within the same second.
    const token = await new SignJWT({ user_id: user.id, iat_ms: issuedAtMs })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(user.username)
      .setJti(jti)
      .setIssuedAt()
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, claims: { sub: user.username, user_id: user.id, jti, exp, issuedAtMs } };
  }

  /** The claims of a valid, unexpired token, or null. Never throws for a bad token. */
  async verify(token: string): Promise<TokenClaims | null> {
    const now = Math.floor(Date.now() / 1000);
    const hit = this.cache.get(token);
    if (hit) {
      if (hit.exp > now) return hit;
      this.cache.delete(token);
      return null;
    }
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ["HS256"] });
      const userId = Number(payload.user_id);
      if (typeof payload.sub !== "string" || !Number.isSafeInteger(userId) || typeof payload.exp !== "number") return null;
      // Tokens of the original carry no jti: their identity for revocation is the token itself.
      const issuedAtMs = typeof payload.iat_ms === "number" ? payload.iat_ms : typeof payload.iat === "number" ? payload.iat * 1000 : 0;
      const claims: TokenClaims = {
        sub: payload.sub,
        user_id: userId,
        jti: typeof payload.jti === "string" ? payload.jti : token,
        exp: payload.exp,
        issuedAtMs,
      };
      this.remember(token, claims);
      return claims;
    } catch (err) {
      if (err instanceof joseErrors.JOSEError || err instanceof TypeError) return null;
      throw err;
    }
  }

  private remember(token: string, claims: TokenClaims): void {
    // Bounded: the oldest entry goes first (Map keeps insertion order).
    if (this.cache.size >= this.maxCached) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(token, claims);
  }
}

/** The bearer token of a request's `Authorization: Bearer …` header, or null (the WebSocket reads `?token=` itself). */
export function bearerOf(headers: Headers): string | null {
  const h = headers.get("authorization");
  if (!h) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m ? m[1] : null;
}
