import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";

/** Every setting the server reads, with the embedded defaults (data and media under the working directory). */
export interface Config {
  env: "development" | "production" | "test";
  port: number;
  host: string;
  /** Absolute path of the local SQLite file (from `DATABASE_URL`, `file:` or a plain path). */
  databasePath: string;
  databaseUrl: string;
  mediaRoot: string;
  secretKey: string;
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
}

export const DEFAULT_SECRET = "change-me";
export const VERSION = "1.4.0";

/** One clear line naming the setting; the entry point prints it and exits. */
export class ConfigError extends Error {
  constructor(setting: string, problem: string) {
    super(`Configuração inválida: ${setting} ${problem}`);
    this.name = "ConfigError";
  }
}

/**
 * Reads `.env` from `cwd` into a copy of `env` without overriding what is already set.
 * note: the original loaded `<workdir>/.env` the same way; real environment variables win.
 */
export function withDotEnv(env: NodeJS.ProcessEnv, cwd = process.cwd()): NodeJS.ProcessEnv {
  const file = resolve(cwd, ".env");
  if (!existsSync(file)) return env;
  const merged = { ...env };
  for (const raw of readFileSync(file, "utf8").split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq < 1) continue;
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1);
    if (merged[key] === undefined) merged[key] = value;
  }
  return merged;
}

function int(env: NodeJS.ProcessEnv, name: string, def: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(name, `deve ser um inteiro entre ${min} e ${max} (recebido "${raw}")`);
  return n;
}

function num(env: NodeJS.ProcessEnv, name: string, def: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return def;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) throw new ConfigError(name, `deve ser um número entre ${min} e ${max} (recebido "${raw}")`);
  return n;
}

function bool(env: NodeJS.ProcessEnv, name: string, def: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === "") return def;
  if (["1", "true", "yes", "on"].includes(raw)) return true;
  if (["0", "false", "no", "off"].includes(raw)) return false;
  throw new ConfigError(name, `deve ser true ou false (recebido "${env[name]}")`);
}

/** `file:./data/sgp.db`, `file:///abs/x.db`, `sqlite:///x.db` (the original's form) or a plain path. */
function databasePathOf(url: string, cwd: string): string {
  if (url.startsWith("libsql://") || url.startsWith("http")) {
    throw new ConfigError("DATABASE_URL", "remoto (libsql://) ainda não é suportado por este servidor; use file:");
  }
  // A real file URL (`file:///C:/dados/banco.db`, `file:///srv/meus%20dados/x.db`) is decoded as one: escapes,
  // query string and, on Windows, the drive letter.
  if (/^file:\/\/\//i.test(url)) {
    try {
      return resolve(cwd, fileURLToPath(url));
    } catch {
      throw new ConfigError("DATABASE_URL", `não é uma URL file: válida (recebido "${url}")`);
    }
  }
  let p = url.replace(/^sqlite(\+aiosqlite)?:\/\/\//, "").replace(/^file:(\/\/)?/, "");
  if (!p) throw new ConfigError("DATABASE_URL", "está vazio");
  return resolve(cwd, p);
}

/**
 * Without SECRET_KEY (development), a random secret kept beside the database file, so sessions survive a restart
 * and the well-known default is never used.
 */
function localSecret(dbPath: string): string {
  const file = join(dirname(dbPath), "secret.key");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("hex");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/**
 * Builds the configuration from the environment (plus `.env`), validating every setting.
 * @throws ConfigError with one line naming the bad setting.
 */
export function loadConfig(rawEnv: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const env = withDotEnv(rawEnv, cwd);
  const mode = (env.NODE_ENV ?? env.ENVIRONMENT ?? "development").toLowerCase();
  const appEnv: Config["env"] = mode === "production" ? "production" : mode === "test" ? "test" : "development";

  const secret = env.SECRET_KEY ?? "";
  if (appEnv === "production" && (!secret || secret === DEFAULT_SECRET || secret.length < 32)) {
    throw new ConfigError("SECRET_KEY", "é obrigatório em produção (NODE_ENV=production), com ao menos 32 caracteres e diferente do padrão");
  }
  const databaseUrl = env.DATABASE_URL || "file:./data/sgp.db";
  const cors = (env.CORS_ORIGINS ?? "").trim();
  const adminUser = env.SGP_ADMIN_USER?.trim() || null;
  const adminPassword = env.SGP_ADMIN_PASSWORD || null;
  if (adminPassword !== null && adminPassword.length < 8) throw new ConfigError("SGP_ADMIN_PASSWORD", "deve ter ao menos 8 caracteres");
  const host = env.HOST || "0.0.0.0";

  return {
    env: appEnv,
    port: int(env, "PORT", 8000, 0, 65535),
    host,
    databaseUrl,
    databasePath: databasePathOf(databaseUrl, cwd),
    mediaRoot: resolve(cwd, env.MEDIA_ROOT || "./media"),
    secretKey: secret || localSecret(databasePathOf(databaseUrl, cwd)),
    tokenTtlMinutes: int(env, "ACCESS_TOKEN_EXPIRE_MINUTES", 8 * 60, 1, 60 * 24 * 30),
    adminUser,
    adminPassword,
    maxBodyBytes: Math.round(num(env, "MAX_BODY_MB", 64, 0.01, 1024) * 1024 * 1024),
    maxImageBytes: Math.round(num(env, "MAX_IMAGE_MB", 10, 0.01, 512) * 1024 * 1024),
    corsOrigins: cors === "" ? [] : cors === "*" ? "*" : cors.split(",").map((s) => s.trim()).filter(Boolean),
    logLevel: (env.LOG_LEVEL || (appEnv === "test" ? "warn" : "info")).toLowerCase(),
    materialStockAutoDeduction: bool(env, "MATERIAL_STOCK_AUTO_DEDUCTION", false),
    workers: int(env, "WORKERS", 1, 1, 64),
    version: VERSION,
    sync: syncConfigOf(env),
    ...reportSettings(env),
  };
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
    throw new ConfigError("SYNC_LEASE_MS", `deve ser ao menos o dobro do tempo limite de entrega (${longest} ms: SYNC_HTTP_TIMEOUT_MS, SYNC_MYSQL_TIMEOUT_MS)`);
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
