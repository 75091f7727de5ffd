import type * as v from "valibot";
import type { Config } from "./config.ts";
import type { Db } from "./db/connection.ts";
import type { Logger } from "./log.ts";
import type { MediaStore } from "./media/store.ts";
import type { TokenService } from "./auth/tokens.ts";
import type { AuthState } from "./auth/state.ts";
import type { OpsState } from "./ops/health.ts";
import type { Metrics } from "./ops/metrics.ts";

/** Who may call an endpoint. `public`: anyone; `user`: a valid, unrevoked token of an active user; `admin`: same, admin. */
export type Guard = "public" | "user" | "admin";
export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** The authenticated caller, as the guard resolved it. */
export interface Caller {
  id: number;
  username: string;
  isAdmin: boolean;
  setor: string;
  /** The token's `jti` and expiry (seconds), for logout. */
  tokenId: string;
  tokenExp: number;
  token: string;
}

/** Shared services, opened once per process. */
export interface Deps {
  db: Db;
  log: Logger;
  config: Config;
  media: MediaStore;
  tokens: TokenService;
  /** Login rate limiter and resolved-session cache (bounded; the database stays the source of truth). */
  auth: AuthState;
  /** Every mounted definition (the docs are generated from it). */
  routes: readonly AnyFunctionDef[];
  /** Live state the runtime reports (connected realtime peers, hub totals, …); read-only for handlers. */
  stats: RuntimeStats;
  /** This process's Prometheus registry (lib/ops/metrics.ts): modules register their own gauges on it. */
  metrics: Metrics;
  /** Health probes and the process's start time (lib/ops/health.ts). */
  ops: OpsState;
}

/** Figures only the runtime knows (the realtime hub lives there). */
export interface RuntimeStats {
  peers(): number;
  /** Events sent to realtime peers, one per peer, since the start. */
  eventsDelivered(): number;
  /** Events a peer could not be sent (it stopped reading or its send failed, so it was dropped). */
  eventsDropped(): number;
  /** The id of the last event the hub published (0 before the first). */
  lastPublishedEventId(): number;
}

/** What a handler receives: the shared services plus this request's caller and logger. */
export interface Ctx<G extends Guard = Guard> extends Deps {
  user: G extends "public" ? Caller | null : Caller;
  requestId: string;
  /** Client address, for rate limits. */
  ip: string;
}

type AnySchema = v.GenericSchema;

/** A success body that is not JSON (a file, a text page): documented by its media type, never validated. */
export interface RawResponse {
  mediaType: string;
  description?: string;
}

/**
 * Error statuses an operation can answer besides those its definition already implies (the docs add those by
 * themselves: 401 unless public, 403 for admin, 404 with path parameters, 413/415/422 with a body, 422 with a query).
 */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503 | 507;

type Out<S> = S extends AnySchema ? v.InferOutput<S> : undefined;

/** The validated input handed to `run`. `form` is set only for `body: "multipart"` endpoints. */
export interface Input<P, Q, B> {
  params: Out<P>;
  query: Out<Q>;
  body: B extends "multipart" ? undefined : Out<B>;
  form: B extends "multipart" ? FormData : undefined;
  headers: Headers;
}

/**
 * One endpoint: method, path(s), guard, valibot schemas and `run`. A plain object, so the runtime can mount it,
 * the docs generator can read it and a test can call `run` with a context.
 * `run` returns data (sent as JSON with `status`, default 200), `null` (sent as an empty body with `status`),
 * or a web `Response` (sent as it is: files, redirects).
 */
export interface FunctionDef<
  G extends Guard = Guard,
  P extends AnySchema | undefined = AnySchema | undefined,
  Q extends AnySchema | undefined = AnySchema | undefined,
  B extends AnySchema | "multipart" | undefined = AnySchema | "multipart" | undefined,
> {
  method: Method;
  /** Hono-style path (`/pedidos/:id`); both `/x` and `/x/` are served. Several paths share one handler. */
  path: string | string[];
  guard: G;
  summary: string;
  tags?: string[];
  params?: P;
  query?: Q;
  body?: B;
  status?: number;
  /** Lower runs first when two definitions could match the same URL (fixed paths before `/:id`). */
  order?: number;
  /**
   * The wire shape of the success body (`status`): a valibot schema of the JSON as sent (shared shapes live in
   * each area's `wire-schemas.ts`), or `{ mediaType }` for a file or a text. It documents the route in
   * `/openapi.json`, and with response validation on (`SGP_VALIDATE_RESPONSES`, on in tests) every JSON body the
   * route sends is checked against it: a mismatch is a 500 naming the route and the field.
   */
  response?: AnySchema | RawResponse;
  /** Error statuses beyond the implied ones (see `ErrorStatus`): 400, 409, 429, a 404 without path parameters… */
  errors?: readonly ErrorStatus[];
  /** The OpenAPI `operationId`; derived from method and path when absent (`GET /users/:id` → `getUsersById`). */
  operationId?: string;
  /** A longer explanation for the docs (the `summary` stays one line). */
  description?: string;
  run(ctx: Ctx<G>, input: Input<P, Q, B>): unknown | Promise<unknown>;
}

/**
 * Declares an endpoint. An identity function: it only pins the types.
 * @example
 * export default defineFunction({ method: "GET", path: "/health", guard: "public", summary: "Health", run: () => ({ ok: true }) });
 */
export function defineFunction<
  G extends Guard,
  P extends AnySchema | undefined = undefined,
  Q extends AnySchema | undefined = undefined,
  B extends AnySchema | "multipart" | undefined = undefined,
>(def: FunctionDef<G, P, Q, B>): FunctionDef<G, P, Q, B> {
  return def;
}

// The runtime holds definitions of many shapes in one list.
// biome-ignore lint/suspicious/noExplicitAny: a list of definitions of every parameter, query and body shape
export type AnyFunctionDef = FunctionDef<any, any, any, any>;

/** True for a valibot schema (a definition's `response` may also be a `RawResponse`). */
export const isSchema = (x: unknown): x is v.GenericSchema =>
  typeof x === "object" && x !== null && (x as { kind?: unknown }).kind === "schema";

/** The paths of a definition, as a list. */
export const pathsOf = (def: AnyFunctionDef): string[] => (Array.isArray(def.path) ? def.path : [def.path]);
