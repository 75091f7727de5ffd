import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";

// Issue 15.3: a password change or an admin reset ends the sessions issued before it (HTTP here; sockets in
// realtime-heartbeat.test.ts), in every process (the cutoff is a column of the user row).
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.stop());

const me = (token: string) => s.request("GET", "/auth/me", { token });

describe("sessions end with the password", () => {
  it("change-password: every other token of the user is refused at once, the caller's stays, new logins work", async () => {
    const u = await s.createUser("bruna", "senha-antiga-1");
    const other = await s.login("bruna", "senha-antiga-1");
    const third = await s.login("bruna", "senha-antiga-1");
    const r = await s.request("POST", "/auth/change-password", {
      token: u.token,
      body: { current_password: "senha-antiga-1", new_password: "senha-nova-12" },
    });
    expect(r.status).toBe(200);
    for (const t of [other, third]) {
      const refused = await me(t);
      expect(refused.status).toBe(401);
      expect(refused.body.detail).toMatch(/Sessão encerrada/);
    }
    expect((await me(u.token)).status).toBe(200);
    const fresh = await s.login("bruna", "senha-nova-12");
    expect((await me(fresh)).status).toBe(200);
    // Another user's sessions are untouched.
    const v = await s.createUser("vitor", "senha-do-vitor");
    expect((await me(v.token)).status).toBe(200);
  });

  it("an admin reset (PATCH /users/{id} and /admin/users/{id} with a password) ends all of that user's sessions", async () => {
    for (const route of ["/users", "/admin/users"]) {
      const name = `reset-${route.length}`;
      const u = await s.createUser(name, "senha-antiga-1");
      const second = await s.login(name, "senha-antiga-1");
      const r = await s.request("PATCH", `${route}/${u.id}`, { token: s.adminToken, body: { password: "senha-resetada-1" } });
      expect(r.status).toBe(200);
      expect((await me(u.token)).status).toBe(401);
      expect((await me(second)).status).toBe(401);
      expect((await me(await s.login(name, "senha-resetada-1"))).status).toBe(200);
      // A patch without a password (a rename, the setor) ends nothing.
      const kept = await s.login(name, "senha-resetada-1");
      expect((await s.request("PATCH", `${route}/${u.id}`, { token: s.adminToken, body: { setor: "impressao" } })).status).toBe(200);
      expect((await me(kept)).status).toBe(200);
    }
    // The admin resetting their own password keeps the session doing it.
    const admin = (await s.request("GET", "/auth/me", { token: s.adminToken })).body;
    const r = await s.request("PATCH", `/users/${admin.user_id}`, { token: s.adminToken, body: { password: "admin-pass-123" } });
    expect(r.status).toBe(200);
    expect((await me(s.adminToken)).status).toBe(200);
  });
});
