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
export const unauthorized = (detail = "Não autenticado") => new AppError(401, detail, { "WWW-Authenticate": "Bearer" });
export const forbidden = (detail = "Ação permitida apenas para administradores.") => new AppError(403, detail);

/**
 * Infrastructure failure (database busy, disk full, read-only file): 503 (507 for a full disk), never a domain
 * status, with a `detail` that says what the shop's IT person should look at.
 * note: SQLITE_BUSY can only come from another process holding the write lock past the busy timeout.
 */
export class UnavailableError extends AppError {
  constructor(readonly causeError: unknown) {
    const kind = sqliteFaultOf(causeError);
    super(kind === "full" ? 507 : 503, UNAVAILABLE_DETAIL[kind ?? "busy"], kind === "busy" ? { "Retry-After": "1" } : {});
    this.name = "UnavailableError";
  }
}

type SqliteFault = "busy" | "full" | "readonly" | "io";

const UNAVAILABLE_DETAIL: Record<SqliteFault, string> = {
  busy: "Serviço temporariamente indisponível, tente novamente",
  full: "Espaço em disco insuficiente: o banco de dados não consegue gravar (libere espaço no servidor)",
  readonly: "O banco de dados está somente leitura: verifique as permissões do arquivo e da pasta de dados",
  io: "Falha de disco no banco de dados: tente novamente; se persistir, verifique o disco do servidor",
};

/** Which infrastructure fault an SQLite error is, or null when it is something else (a bug, a constraint). */
function sqliteFaultOf(err: unknown): SqliteFault | null {
  const code = (err as { code?: string } | null)?.code ?? "";
  const text = `${code} ${err instanceof Error ? err.message : ""}`;
  if (/SQLITE_BUSY|SQLITE_LOCKED|database is locked/i.test(text)) return "busy";
  if (/SQLITE_FULL|database or disk is full/i.test(text)) return "full";
  if (/SQLITE_READONLY|SQLITE_CANTOPEN|SQLITE_PERM|readonly database/i.test(text)) return "readonly";
  if (/SQLITE_IOERR/.test(text)) return "io";
  return null;
}

/** True for SQLite errors that mean "the server's storage", not "your input is wrong". */
export const isBusyError = (err: unknown): boolean => sqliteFaultOf(err) !== null;
