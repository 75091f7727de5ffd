import type { Logger } from "../lib/log.ts";
import { AppError, isBusyError, UnavailableError } from "../lib/errors.ts";

/**
 * The one place an error becomes a response: `{"detail": …}` with the request id.
 * An AppError keeps its status and message; an unknown error is a 500 with a generic message, its details
 * only in the log.
 */
export function renderError(err: unknown, requestId: string, log: Logger): Response {
  if (err instanceof AppError) {
    if (err.status >= 500) log.error({ rid: requestId, err: (err as { causeError?: unknown }).causeError ?? err }, err.message);
    return json(err.status, { detail: err.detail }, { ...err.headers, "X-Request-Id": requestId });
  }
  if (isBusyError(err)) return renderError(new UnavailableError(err), requestId, log);
  log.error({ rid: requestId, err }, "unexpected error");
  return json(500, { detail: `Erro interno do servidor (id ${requestId})` }, { "X-Request-Id": requestId });
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 || status === 304 ? null : JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}
