import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { isIP } from "node:net";
import { parseEnv } from "node:util";
import { installDir, packageVersion } from "./ops/install.ts";

/**
 * Every setting the server reads, with the embedded defaults (data and media under the install folder: where
 * `sgp.mjs` lives, the repository root in the source tree; never the working directory).
 */
export interface DatabaseRemote {
  url: string;
  /** `DATABASE_AUTH_TOKEN`: the primary's JWT (Turso), or null for a server without auth. */
  authToken: string | null;
  /** `DATABASE_SYNC_INTERVAL_MS`: how often the replica pulls what other servers committed. */
  syncIntervalMs: number;
}

export interface Config {
  env: "development" | "production" | "test";
  /** The folder relative settings resolve against and whose `.env` is read (see lib/ops/install.ts). */
  installDir: string;
  port: number;
  host: string;
  /** `DATA_DIR`: the database (by default), the generated secret key and the backups. */
  dataDir: string;
  /** Absolute path of the local SQLite file (from `DATABASE_URL`, `file:` or a plain path; a remote primary's replica). */
  databasePath: string;
  /** A remote libSQL primary (`DATABASE_URL=libsql://…`), or null for a local file. */
  databaseRemote: DatabaseRemote | null;
  databaseUrl: string;
  mediaRoot: string;
  secretKey: string;
  /** The generated key file in use (copied beside every backup), or null when `SECRET_KEY` is set. */
  secretKeyFile: string | null;
  tokenTtlMinutes: number;
  adminUser: string | null;
  adminPassword: string | null;
  maxBodyBytes: number;
  maxImageBytes: number;
  /** `*` or a list of exact origins; patterns from the original's allow-list are added unless `*`. */
  corsOrigins: string[] | "*";
  logLevel: string;
  materialStockAutoDeduction: boolean;
  /** Processes serving the same port and database file (`WORKERS` or `--workers N`); 1 = a single process. */
  workers: number;
  version: string;
  /** Delivery of committed changes to outside systems (`lib/sync`). */
  sync: SyncConfig;
  /** The shop's IANA time zone (`SHOP_TIMEZONE`): what "today" and "this month" mean for reports and Safira. */
  timeZone: string;
  // Operations.
  /** `BACKUP_DIR`: scheduled backups and `sgp backup` without `--out`. */
  backupDir: string;
  /** `BACKUP_EVERY` in ms; 0 = no scheduled backups. */
  backupEveryMs: number;
  /** `BACKUP_KEEP`: how many backups of `backupDir` are kept (oldest removed first). */
  backupKeep: number;
  /** `LOG_FILE`: JSON log lines also go to this file, rotated daily and at 10 MB; null = stdout only. */
  logFile: string | null;
  /** `LOG_FILE_KEEP`: rotated log files kept besides the current one. */
  logFileKeep: number;
  /** `METRICS_TOKEN`: a bearer token that may read `/metrics` (an admin token always may). */
  metricsToken: string | null;
  /**
   * `SGP_VALIDATE_RESPONSES`: check every JSON success body against the route's declared `response` schema; a
   * mismatch is a 500 naming the route and the field. On in tests (so the docs cannot drift from the wire); off by
   * default, since it parses every body once more.
   */
  validateResponses: boolean;
  /** `API_DOCS`: serve the explorer (`/docs`) and `/openapi.json`, public; `false` answers both with 404. */
  apiDocs: boolean;
  /** Realtime bounds: sockets per user, replays at once, bytes queued per socket and for all sockets together. */
  wsMaxSocketsPerUser: number;
  wsMaxReplays: number;
  wsSendBufferBytes: number;
  wsTotalBufferBytes: number;
}

export const DEFAULT_SECRET = "change-me";
/** package.json's version: the one `--version`, `/health` and `/openapi.json` report. */
export const VERSION = packageVersion();

/** One clear line naming the setting; the entry point prints it and exits. */
export class ConfigError extends Error {
  constructor(setting: string, problem: string) {
    super(`Configuração inválida: ${setting} ${problem}`);
    this.name = "ConfigError";
  }
}

/**
 * Reads `.env` from `dir` (the install folder) into a copy of `env` without overriding what is already set.
 * Parsed by Node's own parser (`util.parseEnv`), so quotes and inline comments (`PORT=8000  # the port`) behave as
 * in every other dotenv tool.
 * note: the original loaded `<workdir>/.env` the same way; real environment variables win.
 */
export function withDotEnv(env: NodeJS.ProcessEnv, dir = installDir()): NodeJS.ProcessEnv {
  const file = resolve(dir, ".env");
  if (!existsSync(file)) return env;
  let parsed: Record<string, string>;
  try {
    parsed = parseEnv(readFileSync(file, "utf8")) as Record<string, string>;
  } catch (err) {
    throw new ConfigError(".env", `não pôde ser lido (${file}): ${(err as Error).message}`);
  }
  const merged = { ...env };
  for (const [key, value] of Object.entries(parsed)) if (merged[key] === undefined) merged[key] = value;
  return merged;
}

function int(env: NodeJS.ProcessEnv, name: string, def: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ConfigError(name, `deve ser um inteiro entre ${min} e ${max} (recebido "${raw}")`);
  return n;
}

function num(env: NodeJS.ProcessEnv, name: string, def: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return def;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new ConfigError(name, `deve ser um número entre ${min} e ${max} (recebido "${raw}")`);
  return n;
}

function bool(env: NodeJS.ProcessEnv, name: string, def: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === "") return def;
  if (["1", "true", "yes", "on"].includes(raw)) return true;
  if (["0", "false", "no", "off"].includes(raw)) return false;
  throw new ConfigError(name, `deve ser true ou false (recebido "${env[name]}")`);
}

/**
 * Where `DATABASE_URL` points: a local SQLite file, or a remote libSQL primary (sqld, Turso) reached through an
 * embedded replica kept at `path` (reads are local, writes go to the primary; docs/operations.md "Remote libSQL").
 */
export type DatabaseTarget = { kind: "file"; path: string } | { kind: "remote"; url: string; path: string };

/** Query parameters a file URL may carry: only what we do anyway (read-write, create when missing). */
const FILE_URL_PARAMS: Record<string, string[]> = { mode: ["rwc"] };

/**
 * The one place that reads `DATABASE_URL`: `file:./data/sgp.db`, `file:///abs/x.db`, `sqlite:///x.db` (the
 * original's form), or a plain path (`C:\dados\banco.db`). Relative paths resolve against `baseDir`.
 * Any other scheme, and any query parameter we would silently ignore (`?mode=ro`), stops the start with one line.
 * `libsql://`, `http://` and `https://` name a remote primary; its replica lives in `dataDir` (one per host).
 * @example parseDatabaseUrl("sqlite:///./banco.db", "/srv/sgp") // { kind: "file", path: "/srv/sgp/banco.db" }
 */
export function parseDatabaseUrl(url: string, baseDir: string, dataDir = join(baseDir, "data")): DatabaseTarget {
  const raw = url.trim();
  if (!raw) throw new ConfigError("DATABASE_URL", "está vazio");
  // A scheme has two letters at least: `C:\…` is a Windows drive, not a scheme.
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(raw)?.[1]?.toLowerCase() ?? null;
  if (scheme && ["libsql", "http", "https"].includes(scheme)) return remoteTarget(raw, dataDir);
  if (scheme && ["ws", "wss"].includes(scheme)) {
    throw new ConfigError("DATABASE_URL", `${scheme}:// não é suportado; use libsql://, https:// ou http:// para um servidor libSQL`);
  }
  if (scheme && !["file", "sqlite", "sqlite+aiosqlite"].includes(scheme)) {
    throw new ConfigError("DATABASE_URL", `usa um esquema desconhecido "${scheme}:" (use file:./data/sgp.db ou um caminho)`);
  }
  const q = raw.indexOf("?");
  const body = q >= 0 ? raw.slice(0, q) : raw;
  if (q >= 0) {
    for (const [key, value] of new URLSearchParams(raw.slice(q + 1))) {
      if (!FILE_URL_PARAMS[key]?.includes(value)) {
        throw new ConfigError("DATABASE_URL", `tem o parâmetro "${key}=${value}", que este servidor não suporta (remova-o)`);
      }
    }
  }
  // A real file URL (`file:///C:/dados/banco.db`, `file:///srv/meus%20dados/x.db`) is decoded as one: escapes and,
  // on Windows, the drive letter.
  if (/^file:\/\/\//i.test(body)) {
    try {
      return { kind: "file", path: resolve(baseDir, fileURLToPath(body)) };
    } catch {
      throw new ConfigError("DATABASE_URL", `não é uma URL file: válida (recebido "${url}")`);
    }
  }
  const p = body.replace(/^sqlite(\+aiosqlite)?:\/\/\//i, "").replace(/^file:(\/\/)?/i, "");
  if (!p) throw new ConfigError("DATABASE_URL", "não aponta para um arquivo");
  return { kind: "file", path: resolve(baseDir, p) };
}

function remoteNoBackups(env: NodeJS.ProcessEnv): number {
  if (durationMs(env, "BACKUP_EVERY", "0", 60_000) > 0) {
    throw new ConfigError("BACKUP_EVERY", "não se aplica a um DATABASE_URL remoto: faça os backups no servidor libSQL primário (use 0)");
  }
  return 0;
}

function remoteTarget(raw: string, dataDir: string): DatabaseTarget {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError("DATABASE_URL", `não é uma URL válida (recebido "${raw}")`);
  }
  // The token has its own setting: a URL is logged and shown, a token must not be.
  if (u.username || u.password || u.searchParams.has("authToken")) {
    throw new ConfigError("DATABASE_URL", "não deve conter credenciais; use DATABASE_AUTH_TOKEN para o token");
  }
  if (u.search || u.hash || (u.pathname && u.pathname !== "/")) {
    throw new ConfigError("DATABASE_URL", `remoto deve ser só esquema, servidor e porta (recebido "${raw}")`);
  }
  const host = u.host.replace(/[^a-z0-9.-]/gi, "_");
  return { kind: "remote", url: `${u.protocol}//${u.host}`, path: join(dataDir, `replica-${host}.db`) };
}

/** Well-known values that must never sign a token: our old default, the original's default and its published key. */
const KNOWN_WEAK_SECRETS = new Set([
  DEFAULT_SECRET,
  "changeme",
  "change_me",
  "secret",
  "segredo",
  "your-secret-key",
  "your-secret-key-here",
  "supersecret",
  "sgp-intranet-2026-03-14-4f9a8c2d7b1e6h3k",
]);
export const SECRET_MIN_LENGTH = 32;

/**
 * Why `secret` is too weak to sign tokens, or null when it is acceptable: shorter than 32 characters, a well-known
 * value, a placeholder copied from `.env.example`, or too few distinct characters (`aaaa…`, `abab…`).
 * The same rule in every mode: a forged admin token must never work, in development either.
 */
export function weakSecretReason(secret: string): string | null {
  if (secret.length < SECRET_MIN_LENGTH) return `tem ${secret.length} caracteres; são necessários ao menos ${SECRET_MIN_LENGTH}`;
  if (KNOWN_WEAK_SECRETS.has(secret.toLowerCase())) return "é um valor conhecido publicamente";
  if (/^<.*>$/.test(secret)) return "é o texto de exemplo do .env.example, não um segredo";
  if (new Set(secret).size < 10) return "repete poucos caracteres; use um valor aleatório";
  return null;
}

/**
 * Without SECRET_KEY, a random secret kept in `DATA_DIR/secret.key`, so sessions survive a restart and the
 * well-known default is never used. A key file left beside the database by an older version is kept in use.
 */
function localSecret(dataDir: string, dbPath: string): { secret: string; file: string } {
  const file = join(dataDir, "secret.key");
  const legacy = join(dirname(dbPath), "secret.key");
  const existing = existsSync(file) ? file : existsSync(legacy) ? legacy : null;
  if (existing) {
    const secret = readFileSync(existing, "utf8").trim();
    const weak = weakSecretReason(secret);
    if (weak) throw new ConfigError("SECRET_KEY", `ausente, e o arquivo ${existing} ${weak} (apague-o para gerar outro)`);
    return { secret, file: existing };
  }
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("hex");
  writeFileSync(file, secret, { mode: 0o600 });
  return { secret, file };
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

/** A host name (`localhost`, `sgp-servidor`, `sgp.loja.local`) or an IP address. */
function hostOf(env: NodeJS.ProcessEnv): string {
  const host = (env.HOST ?? "").trim() || "0.0.0.0";
  const name = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
  if (isIP(host) || name.test(host)) return host;
  throw new ConfigError("HOST", `não é um endereço IP nem um nome de máquina válido (recebido "${env.HOST}")`);
}

/**
 * A duration such as `24h`, `30m`, `7d`, `90s`; `0` (or `off`) is 0 = disabled.
 * @example durationMs(env, "BACKUP_EVERY", "24h", 60_000) // 86_400_000
 */
function durationMs(env: NodeJS.ProcessEnv, name: string, def: string, minMs: number, maxMs = 366 * 86_400_000): number {
  const raw = (env[name] ?? "").trim() || def;
  if (/^(0|off|false|no)$/i.test(raw)) return 0;
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|min|h|d)$/i.exec(raw);
  const unit = m ? { s: 1_000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 }[m[2].toLowerCase() as "s"] : 0;
  const ms = m ? Math.round(Number(m[1]) * unit) : NaN;
  if (!Number.isFinite(ms) || ms < minMs || ms > maxMs) {
    throw new ConfigError(
      name,
      `deve ser uma duração como 24h, 30m ou 7d, entre ${minMs / 60_000} min e ${maxMs / 86_400_000} dias, ou 0 para desligar (recebido "${raw}")`,
    );
  }
  return ms;
}

/**
 * Builds the configuration from the environment (plus the `.env` of `baseDir`), validating every setting.
 * `baseDir` is the install folder: relative paths resolve against it, never against the working directory.
 * @throws ConfigError with one line naming the bad setting.
 */
export function loadConfig(rawEnv: NodeJS.ProcessEnv = process.env, baseDir = installDir()): Config {
  const env = withDotEnv(rawEnv, baseDir);
  const mode = (env.NODE_ENV ?? env.ENVIRONMENT ?? "development").toLowerCase();
  const appEnv: Config["env"] = mode === "production" ? "production" : mode === "test" ? "test" : "development";

  const secret = env.SECRET_KEY ?? "";
  if (appEnv === "production" && !secret) {
    throw new ConfigError("SECRET_KEY", "é obrigatório em produção (NODE_ENV=production), com ao menos 32 caracteres aleatórios");
  }
  const weak = secret ? weakSecretReason(secret) : null;
  if (weak)
    throw new ConfigError("SECRET_KEY", `${weak} (gere um com: node -e "console.log(require('crypto').randomBytes(32).toString('hex'))")`);
  const dataDir = resolve(baseDir, (env.DATA_DIR ?? "").trim() || "./data");
  const databaseUrl = env.DATABASE_URL || `file:${join(dataDir, "sgp.db")}`;
  const database = parseDatabaseUrl(databaseUrl, baseDir, dataDir);
  const authToken = env.DATABASE_AUTH_TOKEN?.trim() || null;
  if (authToken && database.kind !== "remote")
    throw new ConfigError("DATABASE_AUTH_TOKEN", "só vale com um DATABASE_URL remoto (libsql://, https://)");
  const cors = (env.CORS_ORIGINS ?? "").trim();
  const adminUser = env.SGP_ADMIN_USER?.trim() || null;
  if (adminUser !== null && adminUser.length > 64) throw new ConfigError("SGP_ADMIN_USER", "deve ter no máximo 64 caracteres");
  const adminPassword = env.SGP_ADMIN_PASSWORD || null;
  if (adminPassword !== null && adminPassword.length < 8) throw new ConfigError("SGP_ADMIN_PASSWORD", "deve ter ao menos 8 caracteres");
  const logLevel = (env.LOG_LEVEL || (appEnv === "test" ? "warn" : "info")).trim().toLowerCase();
  if (!LOG_LEVELS.includes(logLevel))
    throw new ConfigError("LOG_LEVEL", `deve ser um de ${LOG_LEVELS.join(", ")} (recebido "${env.LOG_LEVEL}")`);
  const metricsToken = env.METRICS_TOKEN?.trim() || null;
  if (metricsToken !== null && metricsToken.length < 16) throw new ConfigError("METRICS_TOKEN", "deve ter ao menos 16 caracteres");

  const config: Config = {
    env: appEnv,
    installDir: baseDir,
    port: int(env, "PORT", 8000, 0, 65535),
    host: hostOf(env),
    dataDir,
    databaseUrl,
    databasePath: database.path,
    databaseRemote:
      database.kind === "remote"
        ? { url: database.url, authToken, syncIntervalMs: int(env, "DATABASE_SYNC_INTERVAL_MS", 1000, 50, 3_600_000) }
        : null,
    mediaRoot: resolve(baseDir, env.MEDIA_ROOT || "./media"),
    secretKey: secret,
    secretKeyFile: null,
    tokenTtlMinutes: int(env, "ACCESS_TOKEN_EXPIRE_MINUTES", 8 * 60, 1, 60 * 24 * 30),
    adminUser,
    adminPassword,
    maxBodyBytes: Math.round(num(env, "MAX_BODY_MB", 64, 0.01, 1024) * 1024 * 1024),
    maxImageBytes: Math.round(num(env, "MAX_IMAGE_MB", 10, 0.01, 512) * 1024 * 1024),
    corsOrigins:
      cors === ""
        ? []
        : cors === "*"
          ? "*"
          : cors
              .split(",")
              .map((s) => s.trim())
              .filter(Boolean),
    logLevel,
    materialStockAutoDeduction: bool(env, "MATERIAL_STOCK_AUTO_DEDUCTION", false),
    workers: int(env, "WORKERS", 1, 1, 64),
    // Operations (backups, logs, metrics).
    backupDir: resolve(baseDir, (env.BACKUP_DIR ?? "").trim() || join(dataDir, "backups")),
    // A test harness's servers are short-lived and many: no scheduled backups unless asked for.
    // A remote primary is backed up where it runs (sqld, Turso): the replica here is a cache.
    backupEveryMs:
      database.kind === "remote" ? remoteNoBackups(env) : durationMs(env, "BACKUP_EVERY", appEnv === "test" ? "0" : "24h", 60_000),
    backupKeep: int(env, "BACKUP_KEEP", 10, 1, 1000),
    logFile: (env.LOG_FILE ?? "").trim() ? resolve(baseDir, env.LOG_FILE!.trim()) : null,
    logFileKeep: int(env, "LOG_FILE_KEEP", 14, 1, 365),
    metricsToken,
    version: VERSION,
    sync: syncConfigOf(env),
    ...reportSettings(env),
    // API docs (issue 16)
    validateResponses: bool(env, "SGP_VALIDATE_RESPONSES", false),
    apiDocs: bool(env, "API_DOCS", true),
    // Realtime bounds (README "Realtime"; docs/performance.md).
    wsMaxSocketsPerUser: int(env, "WS_MAX_SOCKETS_PER_USER", 20, 1, 100_000),
    wsMaxReplays: int(env, "WS_MAX_REPLAYS", 8, 1, 1_000),
    wsSendBufferBytes: int(env, "WS_SEND_BUFFER_KB", 1024, 16, 1024 * 1024) * 1024,
    wsTotalBufferBytes: int(env, "WS_TOTAL_BUFFER_MB", 64, 1, 64 * 1024) * 1024 * 1024,
  };
  // Last, once every other setting is valid: a refused start must not have created files.
  if (!secret) {
    const local = localSecret(dataDir, database.path);
    config.secretKey = local.secret;
    config.secretKeyFile = local.file;
  }
  return config;
}

// ---------------------------------------------------------------------------------------------------------------------
// Sync (lib/sync): each sink is enabled by its URL and otherwise inert. The original's names are accepted as aliases.

export interface SyncConfig {
  /** HTTP push target (`SYNC_HTTP_URL`, or the original's `VPS_SYNC_URL`); null = sink off. */
  httpUrl: string | null;
  /** Sent as `x-api-key` (`SYNC_HTTP_KEY`, or `VPS_SYNC_API_KEY`). */
  httpKey: string | null;
  httpTimeoutMs: number;
  /** MySQL mirror (`SYNC_MYSQL_URL` = `mysql://user:pass@host:3306/db`, or the original's DB_USER/DB_PASS/DB_HOST/DB_PORT/DB_NAME). */
  mysqlUrl: string | null;
  mysqlTimeoutMs: number;
  /** Events per delivery (one HTTP request, one MySQL transaction). */
  batchSize: number;
  /** How often the delivering process looks for commits of other processes (`--workers`) and due retries. */
  pollMs: number;
  /** Failed attempts after which an event goes to the sink's dead letter. */
  maxAttempts: number;
  /** Retry backoff: min(base·2^attempts, max) + jitter (the original's 5 s and 600 s). */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** The delivery lease (one process delivers): taken over this long after its holder stopped renewing it. */
  leaseMs: number;
}

function urlSetting(env: NodeJS.ProcessEnv, names: string[], protocols: string[]): string | null {
  for (const name of names) {
    const raw = env[name]?.trim();
    if (!raw) continue;
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new ConfigError(name, `não é uma URL válida (recebido "${raw}")`);
    }
    if (!protocols.includes(url.protocol)) throw new ConfigError(name, `deve começar com ${protocols.map((p) => `${p}//`).join(" ou ")}`);
    return raw;
  }
  return null;
}

/** The original's MySQL settings: all four of DB_USER, DB_PASS, DB_HOST, DB_NAME (and DB_PORT, 3306) or nothing. */
function legacyMysqlUrl(env: NodeJS.ProcessEnv): string | null {
  const [user, pass, host, name] = [env.DB_USER, env.DB_PASS, env.DB_HOST, env.DB_NAME].map((v) => v?.trim() ?? "");
  if (!user || !pass || !host || !name) return null;
  const port = int(env, "DB_PORT", 3306, 1, 65535);
  const e = encodeURIComponent;
  return `mysql://${e(user)}:${e(pass)}@${host.includes(":") ? `[${host}]` : host}:${port}/${e(name)}`;
}

function syncConfigOf(env: NodeJS.ProcessEnv): SyncConfig {
  const backoffBaseMs = int(env, "SYNC_BACKOFF_BASE_MS", 5_000, 1, 3_600_000);
  const backoffMaxMs = int(env, "SYNC_BACKOFF_MAX_MS", 600_000, 1, 86_400_000);
  if (backoffMaxMs < backoffBaseMs) throw new ConfigError("SYNC_BACKOFF_MAX_MS", "deve ser maior ou igual a SYNC_BACKOFF_BASE_MS");
  const httpTimeoutMs = int(env, "SYNC_HTTP_TIMEOUT_MS", 5_000, 100, 120_000);
  const mysqlTimeoutMs = int(env, "SYNC_MYSQL_TIMEOUT_MS", 10_000, 100, 120_000);
  const leaseMs = int(env, "SYNC_LEASE_MS", 30_000, 500, 600_000);
  const httpUrl = urlSetting(env, ["SYNC_HTTP_URL", "VPS_SYNC_URL"], ["http:", "https:"]);
  const mysqlUrl = urlSetting(env, ["SYNC_MYSQL_URL"], ["mysql:"]) ?? legacyMysqlUrl(env);
  // A delivery must finish (or be abandoned) well inside the lease, or a second process could deliver meanwhile.
  const longest = Math.max(httpUrl ? httpTimeoutMs : 0, mysqlUrl ? mysqlTimeoutMs : 0);
  if (leaseMs < 2 * longest) {
    throw new ConfigError(
      "SYNC_LEASE_MS",
      `deve ser ao menos o dobro do tempo limite de entrega (${longest} ms: SYNC_HTTP_TIMEOUT_MS, SYNC_MYSQL_TIMEOUT_MS)`,
    );
  }
  return {
    httpUrl,
    httpKey: (env.SYNC_HTTP_KEY ?? env.VPS_SYNC_API_KEY ?? "").trim() || null,
    httpTimeoutMs,
    mysqlUrl,
    mysqlTimeoutMs,
    batchSize: int(env, "SYNC_BATCH_SIZE", 100, 1, 1_000),
    pollMs: int(env, "SYNC_POLL_INTERVAL_MS", 1_000, 20, 60_000),
    maxAttempts: int(env, "SYNC_MAX_ATTEMPTS", 8, 1, 100),
    backoffBaseMs,
    backoffMaxMs,
    leaseMs,
  };
}

// --- Reports and analytics (issue 11) ---------------------------------------------------------------------------

/**
 * The shop is in Brazil: its dates are São Paulo's unless `SHOP_TIMEZONE` names another IANA zone.
 * note: not the machine's zone nor `TZ`: a server clock kept in UTC must not move the shop's "today" 3 hours early.
 */
export const DEFAULT_TIME_ZONE = "America/Sao_Paulo";

function reportSettings(env: NodeJS.ProcessEnv): Pick<Config, "timeZone"> {
  const timeZone = env.SHOP_TIMEZONE?.trim() || DEFAULT_TIME_ZONE;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
  } catch {
    throw new ConfigError("SHOP_TIMEZONE", `deve ser um fuso horário IANA, como America/Sao_Paulo (recebido "${env.SHOP_TIMEZONE}")`);
  }
  return { timeZone };
}
