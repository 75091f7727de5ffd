/**
 * The one error type handlers and lib/ throw. runtime/ renders it as `{"detail": ...}` with `status`.
 * `detail` is a Portuguese message for the client, or a FastAPI-like issue array for 422s.
 * @example throw new AppError(404, "Pedido não encontrado")
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string | ValidationIssue[],
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof detail === "string" ? detail : "Erro de validação");
    this.name = "AppError";
  }
}

/** One entry of a FastAPI-style 422 body: `{"detail":[{loc, msg, type}]}`. */
export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
  type: string;
  input?: unknown;
}

export const notFound = (detail = "Não encontrado") => new AppError(404, detail);
export const conflict = (detail: string) => new AppError(409, detail);
export const badRequest = (detail: string) => new AppError(400, detail);
export const unprocessable = (issues: ValidationIssue[]) => new AppError(422, issues);
export const unauthorized = (detail = "Não autenticado") =>
  new AppError(401, detail, { "WWW-Authenticate": "Bearer" });
export const forbidden = (detail = "Ação permitida apenas para administradores.") => new AppError(403, detail);

/**
 * Infrastructure failure (database busy, disk full): 503, never a domain status.
 * note: SQLITE_BUSY can only come from another process holding the write lock past the busy timeout.
 */
export class UnavailableError extends AppError {
  constructor(readonly causeError: unknown) {
    super(503, "Serviço temporariamente indisponível, tente novamente");
    this.name = "UnavailableError";
  }
}

/** True for SQLite errors that mean "try again later" rather than "your input is wrong". */
export function isBusyError(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code ?? "";
  const msg = err instanceof Error ? err.message : "";
  return /SQLITE_BUSY|SQLITE_LOCKED|SQLITE_FULL|SQLITE_IOERR/.test(code + " " + msg) || /database is locked/i.test(msg);
}
