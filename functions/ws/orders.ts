// /ws/orders: the realtime socket. Authenticated in `upgrade`, BEFORE the handshake (a bad token never gets a
// socket); events come from the log through the hub; clients may ping and relay whitelisted hints.
import { defineSocket } from "../../lib/events/socket.ts";
import { callerOf } from "../../lib/auth/guard.ts";
import { unauthorized, AppError } from "../../lib/errors.ts";
import { sinceOf, upgradeTokenOf } from "../../lib/events/upgrade.ts";
import { readClientMessage, relayIsTruthful, RelayRateLimit, stampRelay } from "../../lib/events/client-messages.ts";
import { closeEndedSessions } from "../../lib/events/sessions.ts";
import type { Caller } from "../../lib/function.ts";

interface Conn {
  user: Caller;
  since: number | null;
  relays: RelayRateLimit;
}

export default defineSocket<Conn>({
  path: "/ws/orders",
  async upgrade({ deps, hub }, request) {
    if (hub.isClosing) throw new AppError(503, "Servidor reiniciando");
    const since = sinceOf(request);
    const { token, viaProtocol } = upgradeTokenOf(request);
    if (!token) throw unauthorized("Token ausente");
    const caller = await callerOf(deps, token);
    if (!caller.ok) throw unauthorized(caller.reason);
    // Bounded per user (WS_MAX_SOCKETS_PER_USER): refused before the handshake; the client retries with backoff.
    if (!hub.canJoin(caller.value.id)) throw new AppError(429, "Muitas conexões abertas para este usuário");
    return { context: { user: caller.value, since, relays: new RelayRateLimit() }, protocol: viaProtocol ? "bearer" : undefined };
  },
  open({ hub }, conn, c) {
    return hub.join(conn, c.user.id, c.since);
  },
  async message({ deps, hub }, conn, c, text) {
    const msg = readClientMessage(text);
    if (msg.kind === "ping") return hub.pong(conn);
    if (msg.kind === "ignore") return;
    if (!c.relays.take()) return deps.log.debug({ userId: c.user.id }, "relay rate limit exceeded; message dropped");
    if (!(await deps.db.read((q) => relayIsTruthful(q, msg.type, msg.orderId)))) return;
    hub.relay(conn, stampRelay(msg.message, c.user));
  },
  close({ hub }, conn) {
    hub.leave(conn);
  },
  // A socket must not outlive its session: logout, expiry or deactivation closes it (1008) within one interval.
  sweep: { intervalMs: 10_000, run: ({ deps }, open) => closeEndedSessions(deps, open).then(() => {}) },
});
