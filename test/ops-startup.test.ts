// Start-up refusals (issue 15 items 5 and 6, issue 13's one-line settings): weak secrets in every mode, a forged
// admin token, a read-only database or media folder, a port in use, a database written by a newer SGP; and
// /health turning 503 when the media folder stops taking writes under a running server.
import { afterAll, describe, expect, it } from "vitest";
import { chmodSync, chownSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { SignJWT } from "jose";
import { loadConfig } from "../lib/config.ts";
import { createLogger } from "../lib/log.ts";
import { WriteProbe } from "../lib/ops/health.ts";
import { startServer } from "../runtime/server.ts";
import { envFor, runSgp, tempDir } from "./ops-fixtures.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const fresh = (name: string) => {
  const d = tempDir(name);
  dirs.push(d);
  return d;
};
const serveEnv = (dir: string, extra: Record<string, string> = {}) => ({
  ...envFor(dir),
  PORT: "0",
  HOST: "127.0.0.1",
  SGP_ADMIN_PASSWORD: "admin-pass-123",
  ...extra,
});
/** One line on stderr, the given exit code, and that line matches. */
const oneLine = (r: { code: number | null; stderr: string; stdout: string }, code: number, re: RegExp) => {
  expect(r.code, r.stdout + r.stderr).toBe(code);
  const lines = r.stderr.trim().split("\n");
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(re);
};

describe("weak secrets (issue 15, item 5)", () => {
  it("SECRET_KEY=change-me or a one-letter key stops the start with NODE_ENV unset", async () => {
    for (const key of ["change-me", "a"]) {
      const dir = fresh("weak");
      const env = serveEnv(dir, { SECRET_KEY: key });
      delete (env as Record<string, string>).NODE_ENV;
      oneLine(await runSgp(["serve"], { env }), 2, /^Configuração inválida: SECRET_KEY /);
    }
  });

  it("without SECRET_KEY the generated key signs tokens: a token forged with a well-known secret is refused", async () => {
    const dir = fresh("forged");
    const config = loadConfig({ ...serveEnv(dir), SECRET_KEY: "" }, dir);
    const s = await startServer(config, { log: createLogger("silent"), schedule: false });
    try {
      for (const secret of ["change-me", "a", "secret", ""]) {
        const forged = await new SignJWT({ user_id: 1 })
          .setProtectedHeader({ alg: "HS256", typ: "JWT" })
          .setSubject("admin")
          .setJti(`forjado-${secret}`)
          .setExpirationTime(Math.floor(Date.now() / 1000) + 600)
          .sign(new TextEncoder().encode(secret || "x"));
        const r = await fetch(`${s.url}/users`, { headers: { authorization: `Bearer ${forged}` } });
        expect(r.status, `forged with "${secret}"`).toBe(401);
      }
      const login = await fetch(`${s.url}/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "admin", password: "admin-pass-123" }),
      });
      const token = ((await login.json()) as { session_token: string }).session_token;
      expect((await fetch(`${s.url}/users`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    } finally {
      await s.close(1_000);
    }
  });
});

// As root, permissions do not bind: the server then runs as `nobody`, for whom they do.
const asRoot = process.getuid?.() === 0;
const NOBODY = 65534;
const runAs = asRoot ? { uid: NOBODY, gid: NOBODY } : {};
const giveAway = (path: string) => asRoot && chownSync(path, NOBODY, NOBODY);

describe("a database or media folder that cannot be written (issue 15, item 6)", () => {
  it("a read-only database file stops the start with one line naming DATABASE_URL", async () => {
    const dir = fresh("ro-db");
    chmodSync(dir, 0o755);
    // A real database first, then read-only (file and folder: SQLite writes its -wal and -shm beside it).
    const s = await startServer(loadConfig(serveEnv(dir), dir), { log: createLogger("silent"), schedule: false });
    await s.close(1_000);
    mkdirSync(join(dir, "media"), { recursive: true });
    giveAway(join(dir, "media"));
    chmodSync(join(dir, "sgp.db"), 0o444);
    if (!asRoot) chmodSync(dir, 0o555);
    const r = await runSgp(["serve"], { env: serveEnv(dir), ...runAs });
    chmodSync(dir, 0o755);
    oneLine(r, 1, /^DATABASE_URL: .*sgp\.db/);
  });

  it("a read-only media folder stops the start with one line naming MEDIA_ROOT", async () => {
    const dir = fresh("ro-media");
    chmodSync(dir, 0o755);
    const data = join(dir, "data");
    mkdirSync(data);
    mkdirSync(join(dir, "media"));
    giveAway(data);
    chmodSync(join(dir, "media"), 0o555);
    const env = { ...serveEnv(dir), DATA_DIR: data, DATABASE_URL: `file:${join(data, "sgp.db")}` };
    oneLine(await runSgp(["serve"], { env, ...runAs }), 1, /^MEDIA_ROOT: a pasta .*media não aceita escrita/);
  });

  it("/health turns 503 when the media folder stops taking writes under a running server, and back", async () => {
    const dir = fresh("media-gone");
    const s = await startServer(loadConfig(serveEnv(dir), dir), { log: createLogger("silent"), schedule: false });
    try {
      s.deps.ops.probe = new WriteProbe(s.deps.db, s.deps.config.mediaRoot, 0);
      expect((await fetch(`${s.url}/health`)).status).toBe(200);
      renameSync(join(dir, "media"), join(dir, "media-fora"));
      writeFileSync(join(dir, "media"), "um arquivo no lugar da pasta");
      const res = await fetch(`${s.url}/health`);
      const body = (await res.json()) as { status: string; checks: { media: string }; media_error: string };
      expect(res.status).toBe(503);
      expect(body.checks.media).toBe("error");
      expect(body.media_error).toMatch(/ENOTDIR|EEXIST|not a directory/i);
      rmSync(join(dir, "media"));
      renameSync(join(dir, "media-fora"), join(dir, "media"));
      expect((await fetch(`${s.url}/health`)).status).toBe(200);
    } finally {
      await s.close(1_000);
    }
  });
});

describe("other start-up refusals: one line each", () => {
  it("a port in use: PORT N já está em uso", async () => {
    const blocker = createServer();
    const port = await new Promise<number>((r) => blocker.listen(0, "127.0.0.1", () => r((blocker.address() as { port: number }).port)));
    try {
      const dir = fresh("port");
      oneLine(await runSgp(["serve"], { env: serveEnv(dir, { PORT: String(port) }) }), 1, new RegExp(`^PORT ${port} já está em uso`));
    } finally {
      blocker.close();
    }
  });

  it("a database written by a newer SGP is refused by serve and migrate, reported by check; never downgraded", async () => {
    const dir = fresh("newer");
    const s = await startServer(loadConfig(serveEnv(dir), dir), { log: createLogger("silent"), schedule: false });
    s.deps.db.writeSync((tx) => tx.run("INSERT INTO schema_migrations (id, name, applied_at) VALUES (999, 'do_futuro', '2030-01-01')"));
    await s.close(1_000);
    oneLine(
      await runSgp(["serve"], { env: serveEnv(dir) }),
      1,
      /foi gravado por uma versão mais nova do SGP \(migrações desconhecidas: 999\)/,
    );
    oneLine(await runSgp(["migrate"], { env: serveEnv(dir) }), 1, /versão mais nova/);
    const check = await runSgp(["check"], { env: serveEnv(dir) });
    expect(check.code).toBe(1);
    expect(check.stdout).toContain("desconhecidas (gravadas por uma versão mais nova do SGP): 999");
  });
});
