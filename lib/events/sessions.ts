import type { Deps, Caller } from "../function.ts";
import { callerOf } from "../auth/guard.ts";
import type { SocketConnection } from "./socket.ts";

/** Close code the client treats as "bad token": it stops reconnecting until the user logs in again. */
export const CLOSE_POLICY = 1008;

/**
 * Closes the sockets whose token no longer stands for an active user: revoked (logout), expired, user deactivated
 * or deleted. The token was checked at the upgrade; this keeps a long-lived socket from outliving its session.
 * One check per distinct token (through the guard's session cache, so usually one point select).
 */
export async function closeEndedSessions(
  deps: Pick<Deps, "db" | "tokens" | "auth">,
  open: readonly { conn: SocketConnection; context: { user: Caller } }[],
): Promise<number> {
  const byToken = new Map<string, SocketConnection[]>();
  for (const { conn, context } of open) {
    const list = byToken.get(context.user.token);
    if (list) list.push(conn);
    else byToken.set(context.user.token, [conn]);
  }
  let closed = 0;
  let checked = 0;
  for (const [token, conns] of byToken) {
    const r = await callerOf(deps, token);
    if (!r.ok) {
      for (const conn of conns) conn.close(CLOSE_POLICY, r.reason);
      closed += conns.length;
    }
    // Many distinct users: let other work run between batches.
    if (++checked % 500 === 0) await new Promise((done) => setImmediate(done));
  }
  return closed;
}
