import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SignJWT, decodeJwt, decodeProtectedHeader } from "jose";
import bcrypt from "bcryptjs";
import { startTestServer, type TestServer, ADMIN } from "./helpers/server.ts";
import { insertUser } from "../lib/auth/users.ts";
import { LOGIN_FAILED, LOGIN_FAILURE_MIN_MS } from "../lib/auth/login.ts";
import { LoginRateLimiter } from "../lib/auth/rate-limit.ts";
import { BCRYPT_ROUNDS } from "../lib/auth/passwords.ts";
import { authEpochTriggersPresent } from "../lib/auth/epoch.ts";
import { nowIso } from "../lib/time.ts";
import { SessionCache } from "../lib/auth/sessions.ts";
import { openDatabase } from "../lib/db/connection.ts";
import { migrate } from "../lib/db/migrate.ts";
import { createLogger } from "../lib/log.ts";
import type { Caller } from "../lib/function.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SECRET = new TextEncoder().encode("test-secret-key-with-enough-length-0123456789");
// OpenBSD's bcrypt test vector ("U*U"), in the `$2b$` form Python's bcrypt writes: not produced by our library.
const LEGACY_VECTOR = { password: "U*U", hash: "$2b$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW" };

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => s?.stop());
// A fresh limiter per test, so the failures of one test do not block the next (every request comes from 127.0.0.1).
beforeEach(() => {
  s.deps.auth.limiter.clear();
});

const insertRaw = (username: string, passwordHash: string, opts: { isActive?: boolean; isAdmin?: boolean } = {}) =>
  s.deps.db.writeSync((tx) =>
    insertUser(tx, { username, passwordHash, isAdmin: !!opts.isAdmin, isActive: opts.isActive ?? true, setor: "impressao" }, nowIso()),
  );

const me = (token: string | null) => s.request("GET", "/auth/me", { token });

describe("login", () => {
  it("answers what the client checks (success && user_id && username && session_token) and a HS256 JWT", async () => {
    const r = await s.request("POST", "/auth/login", { body: ADMIN, headers: { "x-silent-request": "true" } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      success: true,
      username: "admin",
      is_admin: true,
      setor: "geral",
      message: "Login realizado com sucesso",
    });
    expect(r.body.user_id).toBeGreaterThan(0);
    const token = r.body.session_token as string;
    expect(decodeProtectedHeader(token).alg).toBe("HS256");
    const claims = decodeJwt(token);
    expect(claims.sub).toBe("admin");
    expect(claims.user_id).toBe(r.body.user_id);
    expect(typeof claims.jti).toBe("string");
    // default lifetime: 8 h, the client's own session length
    expect(claims.exp! - Math.floor(Date.now() / 1000)).toBeGreaterThan(8 * 3600 - 60);
    expect(claims.exp! - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(8 * 3600);
    expect(Object.keys(r.body)).not.toContain("password_hash");
  });

  it("unknown user, wrong password and inactive user: the same 401, none sooner than the failure floor", async () => {
    // an active user whose legacy hash has the original's cost 12 (4× the work of ours): still no faster/slower answer
    insertRaw("cost12", bcrypt.hashSync("senha-correta-12", 12));
    insertRaw("inativo", bcrypt.hashSync("senha-inativo-1", BCRYPT_ROUNDS), { isActive: false });
    const attempts = [
      { username: "ninguem-aqui", password: "qualquer-coisa" },
      { username: "cost12", password: "senha-errada-12" },
      { username: "admin", password: "senha-errada" },
      { username: "inativo", password: "senha-inativo-1" }, // right password, inactive account
    ];
    const replies = await Promise.all(
      attempts.map(async (body) => {
        const t0 = performance.now();
        const r = await s.request("POST", "/auth/login", { body });
        return { ...r, ms: performance.now() - t0 };
      }),
    );
    for (const r of replies) {
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ detail: LOGIN_FAILED });
      expect(r.headers.get("www-authenticate")).toBe("Bearer");
      expect(r.ms).toBeGreaterThanOrEqual(LOGIN_FAILURE_MIN_MS - 5);
    }
  });

  it("a legacy `$2b$` hash verifies, and a weaker one is upgraded to our cost on success", async () => {
    const id = insertRaw("legado", LEGACY_VECTOR.hash);
    const r = await s.request("POST", "/auth/login", { body: { username: "legado", password: LEGACY_VECTOR.password } });
    expect(r.status).toBe(200);
    expect(r.body.user_id).toBe(id);
    const stored = s.deps.db.raw.prepare(`SELECT password_hash FROM "user" WHERE id = ?`).get(id) as { password_hash: string };
    expect(stored.password_hash).toMatch(new RegExp(`^\\$2[ab]\\$${BCRYPT_ROUNDS}\\$`));
    expect(bcrypt.compareSync(LEGACY_VECTOR.password, stored.password_hash)).toBe(true);
    // and the upgraded hash still logs in
    expect((await s.request("POST", "/auth/login", { body: { username: "legado", password: "U*U" } })).status).toBe(200);
  });

  it("bad bodies are 422, never a 500", async () => {
    for (const body of [{}, { username: "admin" }, { username: "", password: "x" }, { username: 1, password: 2 }]) {
      expect((await s.request("POST", "/auth/login", { body })).status).toBe(422);
    }
  });
});

describe("rate limit (counts in the database, shared by every process)", () => {
  it("after 10 failures a minute for one name from one address: 429 with Retry-After, even with the right password", async () => {
    const fails = await Promise.all(
      Array.from({ length: 10 }, () => s.request("POST", "/auth/login", { body: { username: "admin", password: "x" } })),
    );
    expect(fails.map((r) => r.status)).toEqual(Array(10).fill(401));
    const blocked = await s.request("POST", "/auth/login", { body: ADMIN });
    expect(blocked.status).toBe(429);
    expect(typeof blocked.body.detail).toBe("string");
    const retry = Number(blocked.headers.get("retry-after"));
    expect(Number.isInteger(retry)).toBe(true);
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(60);
    // Another user on the same machine is not locked out by the admin's count.
    await s.createUser("vizinho", "senha-do-vizinho");
    expect((await s.request("POST", "/auth/login", { body: { username: "vizinho", password: "senha-do-vizinho" } })).status).toBe(200);
  });

  it("30 failures a minute from one address, whatever the names: the address is blocked", async () => {
    for (let i = 0; i < 3; i++) {
      const fails = await Promise.all(
        Array.from({ length: 10 }, (_, k) => s.request("POST", "/auth/login", { body: { username: `nobody-${i}-${k}`, password: "x" } })),
      );
      expect(fails.every((r) => r.status === 401)).toBe(true);
    }
    expect((await s.request("POST", "/auth/login", { body: ADMIN })).status).toBe(429);
  });

  it("parallel guesses cannot slip past the limit while passwords are being checked", async () => {
    const replies = await Promise.all(
      Array.from({ length: 25 }, () => s.request("POST", "/auth/login", { body: { username: "admin", password: "chute" } })),
    );
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((x) => x === 401)).toHaveLength(10);
    expect(statuses.filter((x) => x === 429)).toHaveLength(15);
  });

  it("successful logins do not count as failures", async () => {
    for (let i = 0; i < 5; i++) await s.login(ADMIN.username, ADMIN.password);
    const fails = await Promise.all(
      Array.from({ length: 10 }, () => s.request("POST", "/auth/login", { body: { username: "ninguem", password: "x" } })),
    );
    expect(fails.every((r) => r.status === 401)).toBe(true);
    expect((await s.request("POST", "/auth/login", { body: { username: "ninguem", password: "x" } })).status).toBe(429);
    expect((await s.request("POST", "/auth/login", { body: ADMIN })).status).toBe(200);
  });

  it("per (name, address): case variants share a count, other addresses are not locked out, the window ends", () => {
    let now = 1_000_000;
    const limiter = new LoginRateLimiter(s.deps.db, { perUserAddress: 3, perAddress: 100, windowMs: 60_000, now: () => now });
    for (let i = 0; i < 3; i++) limiter.begin("10.0.0.1", i === 1 ? "MARIA" : "maria");
    expect(() => limiter.begin("10.0.0.1", "Maria")).toThrowError(
      expect.objectContaining({ status: 429, headers: { "Retry-After": "60" } }),
    );
    expect(() => limiter.begin("10.0.0.2", "maria")).not.toThrow(); // the real Maria, at her own desk
    expect(() => limiter.begin("10.0.0.1", "joao")).not.toThrow();
    now += 60_001;
    expect(() => limiter.begin("10.0.0.1", "maria")).not.toThrow();
  });

  it("survives a restart and is shared between processes: another connection to the same file sees the counts", () => {
    const dir = mkdtempSync(join(tmpdir(), "sgp-limit-"));
    const file = join(dir, "x.db");
    const a = openDatabase(file);
    migrate(a, createLogger("silent"));
    const b = openDatabase(file);
    try {
      const first = new LoginRateLimiter(a, { perUserAddress: 2 });
      first.begin("10.1.1.1", "admin");
      first.begin("10.1.1.1", "admin");
      const second = new LoginRateLimiter(b, { perUserAddress: 2 }); // another process, or the next start
      expect(() => second.begin("10.1.1.1", "admin")).toThrowError(expect.objectContaining({ status: 429 }));
    } finally {
      a.close();
      b.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("rows of ended windows are purged as attempts come in (the table stays small)", () => {
    let now = 5_000_000;
    const limiter = new LoginRateLimiter(s.deps.db, { windowMs: 1000, now: () => now });
    for (let i = 0; i < 300; i++) limiter.begin(`ip-${i}`, `user-${i}`);
    const rows = () => s.deps.db.writeSync((tx) => tx.get<{ n: number }>("SELECT COUNT(*) AS n FROM login_attempts")!.n);
    expect(rows()).toBe(600);
    now += 5000;
    limiter.begin("ip-x", "user-x"); // the 301st call purges the ended windows, then counts its own attempt
    expect(rows()).toBe(2);
  });
});

describe("sessions: me, logout, expiry, revocation, deactivation", () => {
  it("GET /auth/me answers the token's user; no token is 401 with WWW-Authenticate", async () => {
    const u = await s.createUser("maria", "senha-da-maria", { setor: "impressao" });
    const r = await me(u.token);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ user_id: u.id, username: "maria", is_admin: false, setor: "impressao" });
    const anon = await me(null);
    expect(anon.status).toBe(401);
    expect(anon.headers.get("www-authenticate")).toBe("Bearer");
    expect(typeof anon.body.detail).toBe("string");
  });

  it("malformed, wrongly signed, expired, alg:none and unknown-user tokens are 401", async () => {
    const now = Math.floor(Date.now() / 1000);
    const wrongKey = await new SignJWT({ user_id: 1 })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("admin")
      .setJti("a")
      .setExpirationTime(now + 600)
      .sign(new TextEncoder().encode("another-secret-of-sufficient-length-000000"));
    const expired = await new SignJWT({ user_id: 1 })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("admin")
      .setJti("b")
      .setExpirationTime(now - 10)
      .sign(SECRET);
    const ghost = await new SignJWT({ user_id: 987654 })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("ghost")
      .setJti("c")
      .setExpirationTime(now + 600)
      .sign(SECRET);
    const [h, p] = s.adminToken.split(".");
    const algNone = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString("base64url")}.${p}.`;
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...decodeJwt(s.adminToken), user_id: 2 })).toString("base64url")}.${s.adminToken.split(".")[2]}`;
    for (const token of ["abc", "a.b.c", wrongKey, expired, ghost, algNone, tampered]) {
      const r = await me(token);
      expect(r.status, token).toBe(401);
      expect(r.headers.get("www-authenticate")).toBe("Bearer");
    }
    for (const header of ["Bearer", "Basic YWRtaW46eA==", `Token ${s.adminToken}`]) {
      expect((await s.request("GET", "/auth/me", { headers: { authorization: header } })).status).toBe(401);
    }
  });

  it("logout revokes that token at once (a warm cache included); the user's other sessions live on", async () => {
    const a = await s.login("maria", "senha-da-maria");
    const b = await s.login("maria", "senha-da-maria");
    expect((await me(a)).status).toBe(200); // resolved and cached
    const out = await s.request("POST", "/auth/logout", { token: a, raw: "null", headers: { "x-silent-request": "true" } });
    expect(out.status).toBe(200);
    expect(out.body).toEqual({ success: true, message: "Logout realizado com sucesso" });
    const after = await me(a);
    expect(after.status).toBe(401);
    expect(after.body.detail).toBe("Token revogado");
    expect((await me(b)).status).toBe(200);
    const row = s.deps.db.raw
      .prepare("SELECT jti, token, user_id FROM revoked_tokens WHERE jti = ?")
      .get(decodeJwt(a).jti as string) as Record<string, unknown>;
    expect(row).toMatchObject({ user_id: decodeJwt(a).user_id, token: null });
  });

  it("a token of the original (no jti) works and can be revoked", async () => {
    const id = s.deps.db.raw.prepare(`SELECT id FROM "user" WHERE username = 'maria'`).get() as { id: number };
    const legacy = await new SignJWT({ user_id: id.id })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject("maria")
      .setExpirationTime(Math.floor(Date.now() / 1000) + 600)
      .sign(SECRET);
    expect((await me(legacy)).status).toBe(200);
    expect((await s.request("POST", "/auth/logout", { token: legacy })).status).toBe(200);
    expect((await me(legacy)).status).toBe(401);
  });

  it("deactivating, demoting or deleting a user takes effect at once on tokens already issued", async () => {
    const u = await s.createUser("temp-admin", "senha-temp-admin", { isAdmin: true });
    expect((await s.request("GET", "/users", { token: u.token })).status).toBe(200);
    expect((await s.request("PATCH", `/users/${u.id}`, { token: s.adminToken, body: { is_admin: false } })).status).toBe(200);
    expect((await s.request("GET", "/users", { token: u.token })).status).toBe(403);
    expect((await me(u.token)).status).toBe(200);
    expect((await s.request("PATCH", `/users/${u.id}`, { token: s.adminToken, body: { is_active: false } })).status).toBe(200);
    expect((await me(u.token)).status).toBe(401);
    expect((await s.request("PATCH", `/users/${u.id}`, { token: s.adminToken, body: { is_active: true } })).status).toBe(200);
    expect((await me(u.token)).status).toBe(200);
    expect((await s.request("DELETE", `/users/${u.id}`, { token: s.adminToken })).status).toBe(204);
    expect((await me(u.token)).status).toBe(401);
  });

  it("a change written by another process or tool (plain SQL) is honoured at once too", async () => {
    const u = await s.createUser("fora", "senha-do-fora");
    expect((await me(u.token)).status).toBe(200);
    expect(s.deps.auth.sessions.size).toBeGreaterThan(0);
    s.deps.db.raw.prepare(`UPDATE "user" SET is_active = 0 WHERE id = ?`).run(u.id);
    expect((await me(u.token)).status).toBe(401);
    s.deps.db.raw.prepare(`UPDATE "user" SET is_active = 1 WHERE id = ?`).run(u.id);
    expect((await me(u.token)).status).toBe(200);
    s.deps.db.raw
      .prepare(`INSERT INTO revoked_tokens (jti, expires_at, revoked_at) VALUES (?, ?, ?)`)
      .run(decodeJwt(u.token).jti as string, "2999-01-01T00:00:00Z", nowIso());
    expect((await me(u.token)).status).toBe(401);
  });

  it("the session cache refuses to cache when a table rebuild has dropped the epoch triggers", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sgp-epoch-"));
    const db = openDatabase(join(dir, "x.db"));
    try {
      migrate(db, createLogger("silent"));
      const caller: Caller = {
        id: 1,
        username: "a",
        isAdmin: false,
        setor: "geral",
        tokenId: "j",
        tokenExp: Math.floor(Date.now() / 1000) + 60,
        token: "t",
      };
      const ok = new SessionCache();
      await db.read((q) => {
        expect(authEpochTriggersPresent(q)).toBe(true);
        ok.remember("t", caller, ok.currentEpoch(q));
        expect(ok.lookup(q, "t")).toEqual(caller);
      });
      db.raw.exec("DROP TRIGGER trg_auth_epoch_user_update");
      const off = new SessionCache();
      await db.read((q) => {
        expect(authEpochTriggersPresent(q)).toBe(false);
        off.remember("t", caller, off.currentEpoch(q));
        expect(off.lookup(q, "t")).toBeNull();
        expect(off.size).toBe(0);
      });
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("change-password", () => {
  it("checks the current password and the rule, then only the new password logs in", async () => {
    const u = await s.createUser("joana", "senha-antiga-1");
    const call = (body: unknown) => s.request("POST", "/auth/change-password", { token: u.token, body });
    const wrong = await call({ current_password: "nao-e-essa", new_password: "senha-nova-123" });
    expect(wrong.status).toBe(400);
    expect(wrong.body.detail).toBe("Senha atual incorreta");
    const short = await call({ current_password: "senha-antiga-1", new_password: "curta" });
    expect(short.status).toBe(400);
    expect(short.body.detail).toBe("Nova senha deve ter ao menos 8 caracteres");
    expect((await call({ current_password: "senha-antiga-1" })).status).toBe(422);
    const ok = await call({ current_password: "senha-antiga-1", new_password: "senha-nova-123" });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ success: true, message: "Senha alterada com sucesso" });
    expect((await s.request("POST", "/auth/login", { body: { username: "joana", password: "senha-antiga-1" } })).status).toBe(401);
    expect((await s.request("POST", "/auth/login", { body: { username: "joana", password: "senha-nova-123" } })).status).toBe(200);
    const stored = s.deps.db.raw.prepare(`SELECT * FROM "user" WHERE id = ?`).get(u.id) as Record<string, unknown>;
    expect(JSON.stringify(stored)).not.toContain("senha-nova-123");
    expect("password_plain" in stored).toBe(false);
  });

  it("without a token: 401", async () => {
    expect((await s.request("POST", "/auth/change-password", { body: { current_password: "a", new_password: "bbbbbbbbbb" } })).status).toBe(
      401,
    );
  });
});
