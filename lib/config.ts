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
  /** Realtime bounds: sockets per user, replays at once, bytes queued per socket and for all sockets together. */
  wsMaxSocketsPerUser: number;
  wsMaxReplays: number;
  wsSendBufferBytes: number;
  wsTotalBufferBytes: number;
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
    // Realtime bounds (README "Realtime"; docs/performance.md).
    wsMaxSocketsPerUser: int(env, "WS_MAX_SOCKETS_PER_USER", 20, 1, 100_000),
    wsMaxReplays: int(env, "WS_MAX_REPLAYS", 8, 1, 1_000),
    wsSendBufferBytes: int(env, "WS_SEND_BUFFER_KB", 1024, 16, 1024 * 1024) * 1024,
    wsTotalBufferBytes: int(env, "WS_TOTAL_BUFFER_MB", 64, 1, 64 * 1024) * 1024 * 1024,
  };
}
