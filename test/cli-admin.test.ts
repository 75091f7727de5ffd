// `sgp admin reset-password` and `sgp admin create` against a running server: the new password lets the admin in,
// and every session the account had ends, HTTP and WebSocket, in a process that is not the one that reset it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rmSync } from "node:fs";
import { loadConfig } from "../lib/config.ts";
import { createLogger } from "../lib/log.ts";
import { startServer, type RunningServer } from "../runtime/server.ts";
import { wsConnect } from "./helpers/ws.ts";
import { envFor, runSgp, runSgpHere, tempDir } from "./ops-fixtures.ts";

let dir: string;
let server: RunningServer;
let env: Record<string, string>;

const login = async (username: string, password: string) => {
  const r = await fetch(`${server.url}/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  return { status: r.status, token: r.status === 200 ? ((await r.json()) as { session_token: string }).session_token : null };
};
const me = (token: string) => fetch(`${server.url}/auth/me`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);

beforeAll(async () => {
  dir = tempDir("cli-admin");
  env = envFor(dir, { SGP_ADMIN_USER: "admin", SGP_ADMIN_PASSWORD: "senha-perdida-1" });
  const config = loadConfig({ ...env, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent" }, dir);
  // A fast session sweep, so the socket's end is seen within the test (the default is every 10 s).
  server = await startServer(config, { log: createLogger("silent"), realtime: { sweepIntervalMs: 200 }, schedule: false });
});
afterAll(async () => {
  await server?.close(2_000);
  rmSync(dir, { recursive: true, force: true });
});

describe("sgp admin reset-password", () => {
  it("lets the admin in with the new password and ends every old session, HTTP and WebSocket", async () => {
    const before = await login("admin", "senha-perdida-1");
    const second = await login("admin", "senha-perdida-1");
    expect(before.status).toBe(200);
    expect(await me(before.token!)).toBe(200);
    const socket = await wsConnect(`${server.url.replace("http", "ws")}/ws/orders?token=${before.token}`);
    await socket.next((m) => m.type === "connected");

    const r = await runSgp(["admin", "reset-password", "admin", "--password-stdin"], { env, input: "senha-nova-123\n" });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('senha de "admin" trocada; sessões anteriores encerradas');

    // Every token issued before the reset is revoked, in this server process, on the very next request.
    expect(await me(before.token!)).toBe(401);
    expect(await me(second.token!)).toBe(401);
    expect((await socket.closed).code).toBe(1008);
    expect((await login("admin", "senha-perdida-1")).status).toBe(401);
    const after = await login("admin", "senha-nova-123");
    expect(after.status).toBe(200);
    expect(await me(after.token!)).toBe(200);
    const ws = await wsConnect(`${server.url.replace("http", "ws")}/ws/orders?token=${after.token}`);
    await ws.next((m) => m.type === "connected");
    ws.close();
  });

  it("reactivates a deactivated account, refuses a weak password and an unknown user", async () => {
    server.deps.db.writeSync((tx) => tx.run(`UPDATE "user" SET is_active = 0 WHERE username = 'admin'`));
    const here = (args: string[], input = "") => runSgpHere(args, env, dir, input);
    const weak = await here(["admin", "reset-password", "admin", "--password-stdin"], "curta\n");
    expect(weak.code).toBe(1);
    expect(weak.stderr.trim()).toBe("sgp admin reset-password: Senha deve ter ao menos 8 caracteres");
    const unknown = await here(["admin", "reset-password", "ninguem", "--password-stdin"], "senha-valida-1\n");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Usuário "ninguem" não encontrado');
    const ok = await here(["admin", "reset-password", "admin", "--password-stdin"], "senha-de-volta-1\r\n");
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain("conta reativada");
    expect((await login("admin", "senha-de-volta-1")).status).toBe(200);
  });

  it("without a terminal and without --password-stdin: a usage error, nothing changed", async () => {
    const r = await runSgpHere(["admin", "reset-password", "admin"], env, dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("sem terminal para perguntar a senha: use --password-stdin");
    expect((await login("admin", "senha-de-volta-1")).status).toBe(200);
  });
});

describe("sgp admin create", () => {
  it("creates an active admin who can log in and manage users; a taken name is refused", async () => {
    const r = await runSgp(["admin", "create", "gerente", "--password-stdin", "--setor", "financeiro"], {
      env,
      input: "gerente-senha-1\n",
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/administrador "gerente" criado \(id \d+\)/);
    const { token } = await login("gerente", "gerente-senha-1");
    const users = await fetch(`${server.url}/users`, { headers: { authorization: `Bearer ${token}` } });
    expect(users.status).toBe(200);
    expect(((await users.json()) as { username: string; setor: string }[]).find((u) => u.username === "gerente")?.setor).toBe("financeiro");
    const again = await runSgpHere(["admin", "create", "gerente", "--password-stdin"], env, dir, "outra-senha-1\n");
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('Usuário "gerente" já existe (use admin reset-password)');
  });

  it("on a fresh install, creates the database first; the first start then creates no bootstrap admin", async () => {
    const fresh = tempDir("cli-admin-fresh");
    const freshEnv = envFor(fresh);
    const r = await runSgpHere(["admin", "create", "dono", "--password-stdin"], freshEnv, fresh, "dono-da-loja-1\n");
    expect(r.code, r.stderr).toBe(0);
    const s = await startServer(loadConfig({ ...freshEnv, PORT: "0", HOST: "127.0.0.1" }, fresh), {
      log: createLogger("silent"),
      schedule: false,
    });
    try {
      const users = s.deps.db.raw.prepare(`SELECT username FROM "user" ORDER BY id`).all() as { username: string }[];
      expect(users.map((u) => u.username)).toEqual(["dono"]);
    } finally {
      await s.close(1_000);
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});

describe("session cut-off", () => {
  it("a token issued in the same second, just before the reset, is revoked too (millisecond iat)", async () => {
    const { token } = await login("gerente", "gerente-senha-1");
    const { endSessions } = await import("../lib/auth/users.ts");
    const id = (server.deps.db.raw.prepare(`SELECT id FROM "user" WHERE username = 'gerente'`).get() as { id: number }).id;
    server.deps.db.writeSync((tx) => endSessions(tx, id, null));
    expect(await me(token!)).toBe(401);
    const fresh = await login("gerente", "gerente-senha-1");
    expect(await me(fresh.token!)).toBe(200);
  });
});
