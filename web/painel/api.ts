/**
 * The guarded API the board reads and writes, on the page's own origin (no CORS, no other host). Every call has
 * a timeout; a 401 means the session is over (the board goes back to its login).
 */
import type { Order, User } from "./board.ts";

const TIMEOUT_MS = 10_000;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The message of an error body (`{detail}` as a string or FastAPI's issue list). */
function detailOf(body: unknown, status: number): string {
  const d = (body as { detail?: unknown } | null)?.detail;
  if (typeof d === "string") return d;
  if (Array.isArray(d) && d.length) return String((d[0] as { msg?: string }).msg ?? "Dados inválidos");
  return status >= 500 ? "O servidor não respondeu como esperado" : `Erro ${status}`;
}

async function call<T>(method: string, path: string, token: string | null, body?: unknown): Promise<T> {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), TIMEOUT_MS);
  try {
    const headers: Record<string, string> = { accept: "application/json" };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: ctl.signal,
      cache: "no-store",
    });
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON (a proxy's error page): reported by status
    }
    if (!res.ok) throw new ApiError(res.status, detailOf(parsed, res.status));
    return parsed as T;
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ApiError(0, "Sem conexão com o servidor");
  } finally {
    clearTimeout(timer);
  }
}

export interface Session extends User {
  token: string;
}

export async function login(username: string, password: string): Promise<Session> {
  const r = await call<{
    success: boolean;
    user_id: number;
    username: string;
    is_admin: boolean;
    setor: string;
    session_token: string;
    message?: string;
  }>("POST", "/auth/login", null, { username, password });
  if (!r?.success || !r.session_token) throw new ApiError(401, r?.message || "Usuário ou senha inválidos");
  return { token: r.session_token, user_id: r.user_id, username: r.username, is_admin: !!r.is_admin, setor: r.setor || "geral" };
}

export const me = (token: string) => call<User>("GET", "/auth/me", token);

export const logout = (token: string) => call<unknown>("POST", "/auth/logout", token).catch(() => undefined);

/**
 * What the board shows: every order still in production, plus the ready ones due from `readySince` on (older
 * ready orders were handed over long ago, even when nobody marked them delivered).
 */
export async function boardOrders(token: string, readySince: string): Promise<Order[]> {
  const [open, ready] = await Promise.all([
    call<Order[]>("GET", "/pedidos/?is_pronto=false", token),
    call<Order[]>("GET", `/pedidos/?is_pronto=true&date_mode=entrega&data_inicio=${readySince}`, token),
  ]);
  return [...open, ...ready];
}

/** One order (null when it is gone). */
export async function order(token: string, id: number): Promise<Order | null> {
  try {
    return await call<Order>("GET", `/pedidos/${id}`, token);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

/** The desktop client's stage update: `PATCH /pedidos/{id}` with the stage flags, status and pronto. */
export const patchOrder = (token: string, id: number, body: Record<string, unknown>) => call<Order>("PATCH", `/pedidos/${id}`, token, body);
