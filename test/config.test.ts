import { describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { loadConfig, ConfigError, parseDatabaseUrl, weakSecretReason, VERSION } from "../lib/config.ts";

const tmp = () => mkdtempSync(join(tmpdir(), "sgp-config-"));
const STRONG = "config-test-secret-with-enough-length-0123456789";

describe("configuration", () => {
  it("has embedded defaults under the install folder, not the working directory", () => {
    const dir = tmp();
    const c = loadConfig({}, dir);
    expect(c.port).toBe(8000);
    expect(c.host).toBe("0.0.0.0");
    expect(c.installDir).toBe(dir);
    expect(c.dataDir).toBe(join(dir, "data"));
    expect(c.databasePath).toBe(join(dir, "data", "sgp.db"));
    expect(c.mediaRoot).toBe(join(dir, "media"));
    expect(c.backupDir).toBe(join(dir, "data", "backups"));
    expect(c.backupEveryMs).toBe(24 * 3600_000);
    expect(c.backupKeep).toBe(10);
    expect(c.logFile).toBeNull();
    expect(c.metricsToken).toBeNull();
    // Development without SECRET_KEY: a random secret persisted in DATA_DIR, never the default.
    expect(c.secretKey).toMatch(/^[0-9a-f]{64}$/);
    expect(c.secretKeyFile).toBe(join(dir, "data", "secret.key"));
    expect(loadConfig({}, dir).secretKey).toBe(c.secretKey);
    expect(process.cwd()).not.toBe(dir);
  });

  it("DATA_DIR holds the database, the secret key and the backups; relative paths resolve against the install folder", () => {
    const dir = tmp();
    const c = loadConfig({ DATA_DIR: "dados", LOG_FILE: "logs/sgp.log", MEDIA_ROOT: "fotos" }, dir);
    expect(c.databasePath).toBe(join(dir, "dados", "sgp.db"));
    expect(c.secretKeyFile).toBe(join(dir, "dados", "secret.key"));
    expect(existsSync(join(dir, "dados", "secret.key"))).toBe(true);
    expect(c.backupDir).toBe(join(dir, "dados", "backups"));
    expect(c.logFile).toBe(join(dir, "logs", "sgp.log"));
    expect(c.mediaRoot).toBe(join(dir, "fotos"));
    expect(loadConfig({ DATA_DIR: "dados", BACKUP_DIR: "/srv/copias" }, dir).backupDir).toBe("/srv/copias");
  });

  it("keeps using a key file an older version left beside the database", () => {
    const dir = tmp();
    writeFileSync(join(dir, "secret.key"), "a-key-file-from-before-with-enough-length-0123456789");
    const c = loadConfig({ DATABASE_URL: "file:./sgp.db" }, dir);
    expect(c.secretKey).toBe("a-key-file-from-before-with-enough-length-0123456789");
    expect(c.secretKeyFile).toBe(join(dir, "secret.key"));
  });

  it("reads the install folder's .env with Node's parser (inline comments, quotes) without overriding the real environment", () => {
    const dir = tmp();
    // The case: an uncommented line of .env.example used to create an admin named "admin      # bootstrap…".
    writeFileSync(
      join(dir, ".env"),
      [
        "PORT=9001",
        "MEDIA_ROOT=./fotos   # item images",
        "# a comment",
        "HOST='127.0.0.1'",
        "SGP_ADMIN_USER=admin                          # bootstrap admin, created at first start when no admin exists",
        'SGP_ADMIN_PASSWORD="senha # com cerquilha"',
        "BACKUP_EVERY=12h # twice a day",
      ].join("\n"),
    );
    const c = loadConfig({ PORT: "9002" }, dir);
    expect(c.port).toBe(9002);
    expect(c.mediaRoot).toBe(join(dir, "fotos"));
    expect(c.host).toBe("127.0.0.1");
    expect(c.adminUser).toBe("admin");
    expect(c.adminPassword).toBe("senha # com cerquilha");
    expect(c.backupEveryMs).toBe(12 * 3600_000);
  });

  it.each([
    [{ PORT: "http" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ HOST: "not a host!" }, "HOST"],
    [{ HOST: "0.0.0.0:8000" }, "HOST"],
    [{ LOG_LEVEL: "verbose" }, "LOG_LEVEL"],
    [{ DATABASE_URL: "postgres://db/sgp" }, "DATABASE_URL"],
    [{ DATABASE_URL: "libsql://user:senha@sgp.turso.io" }, "DATABASE_URL"],
    [{ DATABASE_URL: "https://sgp.example/db" }, "DATABASE_URL"],
    [{ DATABASE_URL: "file:./data/sgp.db?mode=ro" }, "DATABASE_URL"],
    [{ DATABASE_URL: "file:///srv/sgp.db?cache=shared" }, "DATABASE_URL"],
    [{ DATABASE_URL: "./banco.db?check_same_thread=false" }, "DATABASE_URL"],
    [{ MAX_BODY_MB: "-1" }, "MAX_BODY_MB"],
    [{ MATERIAL_STOCK_AUTO_DEDUCTION: "talvez" }, "MATERIAL_STOCK_AUTO_DEDUCTION"],
    [{ SGP_ADMIN_PASSWORD: "curta" }, "SGP_ADMIN_PASSWORD"],
    [{ SGP_ADMIN_USER: "a".repeat(65) }, "SGP_ADMIN_USER"],
    [{ BACKUP_EVERY: "daily" }, "BACKUP_EVERY"],
    [{ BACKUP_EVERY: "24" }, "BACKUP_EVERY"],
    [{ BACKUP_EVERY: "10s" }, "BACKUP_EVERY"],
    [{ BACKUP_KEEP: "0" }, "BACKUP_KEEP"],
    [{ LOG_FILE_KEEP: "x" }, "LOG_FILE_KEEP"],
    [{ METRICS_TOKEN: "curto" }, "METRICS_TOKEN"],
    [{ WORKERS: "0" }, "WORKERS"],
    [{ NODE_ENV: "production" }, "SECRET_KEY"],
  ])("refuses %o with one line naming %s", (env, setting) => {
    const err = (() => {
      try {
        loadConfig({ SECRET_KEY: STRONG, ...env } as NodeJS.ProcessEnv, tmp());
      } catch (e) {
        return e;
      }
      return null;
    })();
    if (setting === "SECRET_KEY") {
      expect(() => loadConfig(env as NodeJS.ProcessEnv, tmp())).toThrow(ConfigError);
      return;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain(setting);
    expect((err as Error).message.split("\n")).toHaveLength(1);
  });

  it.each([
    "change-me",
    "a",
    "changeme",
    "x".repeat(40),
    "abababababababababababababababababab",
    "<at least 32 random characters>",
    "sgp-intranet-2026-03-14-4f9a8c2d7b1e6h3k",
  ])("refuses the weak secret %s in every mode", (secret) => {
    expect(weakSecretReason(secret)).not.toBeNull();
    for (const NODE_ENV of [undefined, "development", "test", "production"]) {
      expect(() => loadConfig({ NODE_ENV, SECRET_KEY: secret }, tmp())).toThrow(/SECRET_KEY/);
    }
  });

  it("refuses a weak generated key file rather than signing with it", () => {
    const dir = tmp();
    writeFileSync(join(dir, "secret.key"), "a\n");
    expect(() => loadConfig({ DATA_DIR: "." }, dir)).toThrow(/secret\.key/);
  });

  it("accepts a production start with a strong secret", () => {
    expect(loadConfig({ NODE_ENV: "production", SECRET_KEY: STRONG }, tmp()).env).toBe("production");
    expect(weakSecretReason(readFileSync(loadConfig({}, tmp()).secretKeyFile!, "utf8"))).toBeNull();
  });

  it("reads DATABASE_URL in one place: file URLs, the original's sqlite:/// form, plain paths, rwc", () => {
    expect(parseDatabaseUrl("file:./data/sgp.db", "/srv/sgp")).toEqual({ kind: "file", path: "/srv/sgp/data/sgp.db" });
    expect(parseDatabaseUrl("sqlite:///./banco.db", "/srv/sgp")).toEqual({ kind: "file", path: "/srv/sgp/banco.db" });
    expect(parseDatabaseUrl("sqlite+aiosqlite:////var/banco.db", "/srv/sgp")).toEqual({ kind: "file", path: "/var/banco.db" });
    expect(parseDatabaseUrl("file:///srv/meus%20dados/x.db?mode=rwc", "/x")).toEqual({ kind: "file", path: "/srv/meus dados/x.db" });
    expect(parseDatabaseUrl("banco.db", "/srv/sgp")).toEqual({ kind: "file", path: "/srv/sgp/banco.db" });
    // A Windows drive letter is not a URL scheme.
    expect(() => parseDatabaseUrl("C:\\dados\\banco.db", "/srv/sgp")).not.toThrow();
  });

  it("a remote libSQL primary: libsql/http/https URLs with no credentials, its replica in DATA_DIR, its token apart", () => {
    expect(parseDatabaseUrl("libsql://loja-sgp.turso.io", "/srv/sgp", "/srv/sgp/data")).toEqual({
      kind: "remote",
      url: "libsql://loja-sgp.turso.io",
      path: "/srv/sgp/data/replica-loja-sgp.turso.io.db",
    });
    expect(parseDatabaseUrl("http://192.168.0.10:8080/", "/srv/sgp", "/d")).toEqual({
      kind: "remote",
      url: "http://192.168.0.10:8080",
      path: "/d/replica-192.168.0.10_8080.db",
    });
    for (const bad of ["libsql://u:p@host", "libsql://host?authToken=x", "https://host/db", "ws://host"]) {
      expect(() => parseDatabaseUrl(bad, "/srv/sgp"), bad).toThrow(/DATABASE_URL/);
    }
    const dir = tmp();
    const c = loadConfig(
      { DATABASE_URL: "libsql://loja.turso.io", DATABASE_AUTH_TOKEN: "jwt-do-turso", DATABASE_SYNC_INTERVAL_MS: "250" },
      dir,
    );
    expect(c.databaseRemote).toEqual({ url: "libsql://loja.turso.io", authToken: "jwt-do-turso", syncIntervalMs: 250 });
    expect(c.databasePath).toBe(join(dir, "data", "replica-loja.turso.io.db"));
    expect(c.backupEveryMs).toBe(0);
    expect(loadConfig({}, tmp()).databaseRemote).toBeNull();
    expect(() => loadConfig({ DATABASE_AUTH_TOKEN: "x" }, tmp())).toThrow(/DATABASE_AUTH_TOKEN/);
    expect(() => loadConfig({ DATABASE_URL: "libsql://loja.turso.io", BACKUP_EVERY: "24h" }, tmp())).toThrow(/BACKUP_EVERY/);
    expect(() => loadConfig({ DATABASE_URL: "libsql://loja.turso.io", DATABASE_SYNC_INTERVAL_MS: "10" }, tmp())).toThrow(
      /DATABASE_SYNC_INTERVAL_MS/,
    );
  });

  it("has one version: package.json's", () => {
    expect(VERSION).toBe(JSON.parse(readFileSync("package.json", "utf8")).version);
    expect(loadConfig({}, tmp()).version).toBe(VERSION);
  });

  it("every setting lib/config.ts reads is in the README's configuration table and in .env.example", () => {
    const source = readFileSync("lib/config.ts", "utf8");
    const names = new Set([...source.matchAll(/env(?:\.|, ")([A-Z][A-Z0-9_]+)/g)].map((m) => m[1]));
    expect(names.size).toBeGreaterThan(20);
    const readme = readFileSync("README.md", "utf8");
    const table = readme.slice(readme.indexOf("## Configure"), readme.indexOf("## Back up"));
    const example = readFileSync(".env.example", "utf8");
    for (const name of names) {
      expect(table, `README configuration table lacks ${name}`).toMatch(new RegExp(`\\|[^|\\n]*\`${name}\``));
      if (name !== "ENVIRONMENT") expect(example, `.env.example lacks ${name}`).toMatch(new RegExp(`^#? ?${name}=`, "m"));
    }
  });

  it("uncommenting every line of .env.example gives a configuration that loads (the admin is named admin)", () => {
    const dir = tmp();
    const uncommented = readFileSync(".env.example", "utf8")
      .split("\n")
      .map((l) => l.replace(/^# ([A-Z][A-Z0-9_]+=)/, "$1"))
      .filter((l) => !/^(NODE_ENV|SECRET_KEY)=/.test(l))
      .join("\n");
    writeFileSync(join(dir, ".env"), uncommented);
    const c = loadConfig({}, dir);
    expect(c.adminUser).toBe("admin");
    expect(c.adminPassword).toBeNull();
    expect(c.logFile).toBe(join(dir, "logs", "sgp.log"));
    expect(c.backupEveryMs).toBe(24 * 3600_000);
    expect(c.metricsToken).toBeNull();
  });

  it("an invalid setting stops the start with one line naming it", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "runtime/main.ts"], {
      env: { ...process.env, PORT: "abc" },
      encoding: "utf8",
    });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("PORT");
  });
});
