import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../lib/config.ts";
import { createLogger } from "../../lib/log.ts";
import { startServer, type RunningServer } from "../../runtime/server.ts";
import type { AnyFunctionDef } from "../../lib/function.ts";
import { hashPasswordSync } from "../../lib/auth/passwords.ts";
import { insertUser } from "../../lib/auth/users.ts";
import { nowIso } from "../../lib/time.ts";
import { functions as allFunctions } from "../../runtime/functions.gen.ts";

export const ADMIN = { username: "admin", password: "admin-pass-123" };

export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface TestServer extends RunningServer {
  dir: string;
  wsUrl: string;
  adminToken: string;
  request<T = any>(
    method: string,
    path: string,
    opts?: { body?: unknown; token?: string | null; headers?: Record<string, string>; raw?: BodyInit },
  ): Promise<Reply<T>>;
  login(username: string, password: string): Promise<string>;
  /** Creates a user straight in the database (for tests of routes other than user management). */
  createUser(username: string, password: string, opts?: { isAdmin?: boolean; setor?: string }): Promise<{ id: number; token: string }>;
  stop(): Promise<void>;
}

/**
 * A real server on a random loopback port, on a fresh SQLite file and media folder in a temp dir.
 * `env` overrides settings; `dir` reuses a prepared folder (a legacy database, say).
 */
export async function startTestServer(
  opts: { env?: Record<string, string>; dir?: string; extraFunctions?: AnyFunctionDef[] } = {},
): Promise<TestServer> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), "sgp-test-"));
  const config = loadConfig(
    {
      NODE_ENV: "test",
      PORT: "0",
      HOST: "127.0.0.1",
      DATABASE_URL: `file:${join(dir, "sgp.db")}`,
      MEDIA_ROOT: join(dir, "media"),
      SECRET_KEY: "test-secret-key-with-enough-length-0123456789",
      SGP_ADMIN_USER: ADMIN.username,
      SGP_ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: process.env.SGP_TEST_LOG ?? "silent",
      // Every JSON success body is checked against its route's declared `response` (a mismatch is a 500).
      SGP_VALIDATE_RESPONSES: "1",
      ...opts.env,
    },
    dir,
  );
  const running = await startServer(config, {
    log: createLogger(config.logLevel),
    functions: opts.extraFunctions ? [...allFunctions, ...opts.extraFunctions] : undefined,
  });
  const request: TestServer["request"] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body: BodyInit | undefined = o.raw;
    if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers["content-type"] ??= "application/json";
    }
    const res = await fetch(running.url + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, headers: res.headers, body: parsed as any, text };
  };
  const login = async (username: string, password: string) => {
    const r = await request("POST", "/auth/login", { body: { username, password } });
    if (r.status !== 200) throw new Error(`login ${username} failed: ${r.status} ${r.text}`);
    return r.body.session_token as string;
  };
  const adminToken = await login(opts.env?.SGP_ADMIN_USER ?? ADMIN.username, opts.env?.SGP_ADMIN_PASSWORD ?? ADMIN.password);
  return {
    ...running,
    dir,
    wsUrl: running.url.replace(/^http/, "ws"),
    adminToken,
    request,
    login,
    async createUser(username, password, o = {}) {
      const id = running.deps.db.writeSync((tx) =>
        insertUser(
          tx,
          { username, passwordHash: hashPasswordSync(password), isAdmin: !!o.isAdmin, isActive: true, setor: o.setor ?? "geral" },
          nowIso(),
        ),
      );
      return { id, token: await login(username, password) };
    },
    async stop() {
      await running.close(2_000);
      if (!opts.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
