import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { loadConfig, ConfigError } from "../lib/config.ts";

const tmp = () => mkdtempSync(join(tmpdir(), "sgp-config-"));

describe("configuration", () => {
  it("has embedded defaults under the working directory", () => {
    const dir = tmp();
    const c = loadConfig({}, dir);
    expect(c.port).toBe(8000);
    expect(c.host).toBe("0.0.0.0");
    expect(c.databasePath).toBe(join(dir, "data", "sgp.db"));
    expect(c.mediaRoot).toBe(join(dir, "media"));
    // Development without SECRET_KEY: a random secret persisted beside the database, never the default.
    expect(c.secretKey).toMatch(/^[0-9a-f]{64}$/);
    expect(loadConfig({}, dir).secretKey).toBe(c.secretKey);
  });

  it("reads .env without overriding the real environment", () => {
    const dir = tmp();
    writeFileSync(join(dir, ".env"), "PORT=9001\nMEDIA_ROOT=./fotos\n# comment\nHOST='127.0.0.1'\n");
    const c = loadConfig({ PORT: "9002" }, dir);
    expect(c.port).toBe(9002);
    expect(c.mediaRoot).toBe(join(dir, "fotos"));
    expect(c.host).toBe("127.0.0.1");
  });

  it.each([
    [{ PORT: "http" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ MAX_BODY_MB: "-1" }, "MAX_BODY_MB"],
    [{ MATERIAL_STOCK_AUTO_DEDUCTION: "talvez" }, "MATERIAL_STOCK_AUTO_DEDUCTION"],
    [{ SGP_ADMIN_PASSWORD: "curta" }, "SGP_ADMIN_PASSWORD"],
    [{ NODE_ENV: "production" }, "SECRET_KEY"],
    [{ NODE_ENV: "production", SECRET_KEY: "change-me" }, "SECRET_KEY"],
  ])("refuses %o naming %s", (env, setting) => {
    expect(() => loadConfig(env as NodeJS.ProcessEnv, tmp())).toThrow(ConfigError);
    expect(() => loadConfig(env as NodeJS.ProcessEnv, tmp())).toThrow(setting);
  });

  it("accepts a production start with a strong secret", () => {
    expect(loadConfig({ NODE_ENV: "production", SECRET_KEY: "k".repeat(40) }, tmp()).env).toBe("production");
  });

  it("an invalid setting stops the start with one line naming it", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "runtime/main.ts"], { env: { ...process.env, PORT: "abc" }, encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("PORT");
  });
});
