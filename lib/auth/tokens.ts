import { SignJWT, jwtVerify, errors as joseErrors } from "jose";
import { createSecretKey, randomUUID, type KeyObject } from "node:crypto";

/** The claims SGP tokens carry (the original's `sub` = username and `user_id`, plus `jti` for revocation). */
export interface TokenClaims {
  sub: string;
  user_id: number;
  jti: string;
  exp: number;
  /** Issued at, seconds with milliseconds (0 for tokens without `iat`): a user's session cut-off compares it. */
  iat: number;
}

/**
 * Signs and verifies HS256 JWTs (jose). Verified tokens are cached until they expire, so the hot path does not
 * pay jose's thread-pool round trip on every request; revocation and deactivation are checked by the guard on
 * every request, never cached.
 */
export class TokenService {
  private readonly key: KeyObject;
  private readonly cache = new Map<string, TokenClaims>();

  constructor(secret: string, private readonly ttlMinutes: number, private readonly maxCached = 20_000) {
    this.key = createSecretKey(Buffer.from(secret, "utf8"));
  }

  async sign(user: { id: number; username: string }): Promise<{ token: string; claims: TokenClaims }> {
    const jti = randomUUID();
    const issuedMs = Date.now();
    const exp = Math.floor(issuedMs / 1000) + this.ttlMinutes * 60;
    const token = await new SignJWT({ user_id: user.id })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(user.username)
      .setJti(jti)
      // Milliseconds (RFC 7519 allows a fractional NumericDate): a session cut-off must not spare a token issued
      // in the same second just before it (lib/auth/user-sessions.ts).
      .setIssuedAt(issuedMs / 1000)
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, claims: { sub: user.username, user_id: user.id, jti, exp, iat: issuedMs / 1000 } };
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
      const claims: TokenClaims = { sub: payload.sub, user_id: userId, jti: typeof payload.jti === "string" ? payload.jti : token, exp: payload.exp,
        iat: typeof payload.iat === "number" ? payload.iat : 0 };
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
