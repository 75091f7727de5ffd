import type { Db } from "../db/connection.ts";
import { LoginRateLimiter } from "./rate-limit.ts";
import { SessionCache } from "./sessions.ts";

/** The per-process auth state: bounded, and never the source of truth (the database is). */
export interface AuthState {
  /** Login attempt counts, kept in the database (shared by every process). */
  limiter: LoginRateLimiter;
  sessions: SessionCache;
}

export const createAuthState = (db: Pick<Db, "writeSync">): AuthState => ({
  limiter: new LoginRateLimiter(db),
  sessions: new SessionCache(),
});
