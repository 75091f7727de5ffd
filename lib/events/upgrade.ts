import { badRequest } from "../errors.ts";
import { bearerOf } from "../auth/tokens.ts";

/**
 * The token of a WebSocket upgrade: `?token=` (the desktop client), `Authorization: Bearer` (other programs), or
 * `Sec-WebSocket-Protocol: bearer, <jwt>` (the only way a browser can avoid putting it in the URL; the server
 * must then echo `bearer` or the browser drops the socket).
 */
export function upgradeTokenOf(request: Request): { token: string | null; viaProtocol: boolean } {
  const query = new URL(request.url).searchParams.get("token");
  if (query) return { token: query, viaProtocol: false };
  const header = bearerOf(request.headers);
  if (header) return { token: header, viaProtocol: false };
  const protocols = (request.headers.get("sec-websocket-protocol") ?? "").split(",").map((s) => s.trim());
  if (protocols[0]?.toLowerCase() === "bearer" && protocols[1]) return { token: protocols[1], viaProtocol: true };
  return { token: null, viaProtocol: false };
}

/** `?since=<event_id>`: null when absent; a non-numeric value is a 400 (never silently "no replay"). */
export function sinceOf(request: Request): number | null {
  const raw = new URL(request.url).searchParams.get("since");
  if (raw === null || raw === "") return null;
  if (!/^\d{1,15}$/.test(raw)) throw badRequest("Parâmetro since inválido: use o event_id da última mensagem recebida");
  return Number(raw);
}
