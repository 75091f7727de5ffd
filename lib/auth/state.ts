import { LoginRateLimiter } from "./rate-limit.ts";
import { SessionCache } from "./sessions.ts";

/** The per-process auth state: bounded, and never the source of truth (the database is). */
export interface AuthState {
  limiter: LoginRateLimiter;
  sessions: SessionCache;
}

export const createAuthState = (): AuthState => ({ limiter: new LoginRateLimiter(), sessions: new SessionCache() });
