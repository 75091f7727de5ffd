import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";

let s: TestServer;
let userToken: string;
beforeAll(async () => {
  s = await startTestServer();
  userToken = (await s.createUser("comum", "senha-do-comum")).token;
});
afterAll(async () => s?.stop());

const as = (method: string, path: string, body?: unknown) => s.request(method, path, { token: s.adminToken, body });
const USER_READ_KEYS = ["created_at", "id", "is_active", "is_admin", "setor", "updated_at", "username"];
const storedHash = (id: number) =>
  (s.deps.db.raw.prepare(`SELECT password_hash FROM "user" WHERE id = ?`).get(id) as { password_hash: string }).password_hash;

describe("/users (admin only)", () => {
  it("non-admins get 403 with the original's message; no token gets 401", async () => {
    for (const [method, path] of [
      ["GET", "/users"],
      ["GET", "/users/1"],
      ["POST", "/users"],
      ["PATCH", "/users/1"],
      ["DELETE", "/users/1"],
    ]) {
      const r = await s.request(method, path, { token: userToken, body: method === "POST" || method === "PATCH" ? {} : undefined });
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.body.detail).toBe("Ação permitida apenas para administradores.");
      expect((await s.request(method, path)).status).toBe(401);
    }
  });

  it("POST creates (201) with setor, never storing or returning the password in clear", async () => {
    const r = await as("POST", "/users", { username: "  impressor ", password: "senha-impressor", is_admin: false, setor: "impressao" });
    expect(r.status).toBe(201);
    expect(Object.keys(r.body).sort()).toEqual(USER_READ_KEYS);
    expect(r.body).toMatchObject({ username: "impressor", is_admin: false, is_active: true, setor: "impressao" });
    expect(r.body.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(r.text).not.toContain("senha-impressor");
    expect(storedHash(r.body.id)).toMatch(/^\$2[ab]\$\d{2}\$/);
    expect((await s.request("POST", "/auth/login", { body: { username: "impressor", password: "senha-impressor" } })).status).toBe(200);
    const defaults = await as("POST", "/users/", { username: "padrao", password: "senha-padrao" });
    expect(defaults.body).toMatchObject({ is_admin: false, is_active: true, setor: "geral" });
  });

  it("duplicate names and short passwords are 400 with the original's messages; bad shapes 422", async () => {
    const dup = await as("POST", "/users", { username: "impressor", password: "outra-senha-1" });
    expect(dup.status).toBe(400);
    expect(dup.body.detail).toBe("Nome de usuário já está em uso");
    const short = await as("POST", "/users", { username: "novo", password: "1234567" });
    expect(short.status).toBe(400);
    expect(short.body.detail).toBe("Senha deve ter ao menos 8 caracteres");
    expect((await as("POST", "/users", { username: "novo" })).status).toBe(422);
    expect((await as("POST", "/users", { username: "novo", password: "senha-longa-1", is_admin: "sim" })).status).toBe(422);
    expect((await as("POST", "/users", { username: "novo", password: "á".repeat(40) })).status).toBe(400); // 80 bytes > bcrypt's 72
    const names = (await as("GET", "/users")).body.map((u: { username: string }) => u.username);
    expect(names).not.toContain("novo");
  });

  it("GET lists and reads one; unknown or non-numeric ids are 404 with a string detail", async () => {
    const list = await as("GET", "/users");
    expect(list.status).toBe(200);
    expect(list.body.length).toBeGreaterThanOrEqual(4);
    for (const u of list.body) expect(Object.keys(u).sort()).toEqual(USER_READ_KEYS);
    expect(list.text).not.toMatch(/password|senha|\$2[ab]\$/);
    const one = await as("GET", `/users/${list.body[0].id}`);
    expect(one.body).toEqual(list.body[0]);
    for (const path of ["/users/999999", "/users/abc"]) {
      const r = await as("GET", path);
      expect(r.status).toBe(404);
      expect(typeof r.body.detail).toBe("string");
    }
    expect((await as("GET", "/users/999999")).body.detail).toBe("Usuário não encontrado");
  });

  it("PATCH changes what is sent; an empty password leaves it as it was", async () => {
    const u = (await as("POST", "/users", { username: "editavel", password: "senha-editavel" })).body;
    const r = await as("PATCH", `/users/${u.id}`, { username: "editada", setor: "costura", password: "" });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: u.id, username: "editada", setor: "costura", is_admin: false, is_active: true });
    expect((await s.request("POST", "/auth/login", { body: { username: "editada", password: "senha-editavel" } })).status).toBe(200);
    expect((await as("PATCH", `/users/${u.id}`, { password: "curta" })).status).toBe(400);
    expect((await as("PATCH", `/users/${u.id}`, { password: "senha-trocada-1" })).status).toBe(200);
    expect((await s.request("POST", "/auth/login", { body: { username: "editada", password: "senha-trocada-1" } })).status).toBe(200);
    const dup = await as("PATCH", `/users/${u.id}`, { username: "impressor" });
    expect(dup.status).toBe(400);
    expect(dup.body.detail).toBe("Nome de usuário já está em uso");
    expect((await as("PATCH", `/users/${u.id}`, { username: "editada" })).status).toBe(200); // its own name is fine
    expect((await as("PATCH", "/users/999999", { setor: "x" })).status).toBe(404);
  });

  it("DELETE answers 204 with no body, then 404", async () => {
    const u = (await as("POST", "/users", { username: "descartavel", password: "senha-descartavel" })).body;
    const r = await as("DELETE", `/users/${u.id}`);
    expect(r.status).toBe(204);
    expect(r.text).toBe("");
    expect((await as("DELETE", `/users/${u.id}`)).status).toBe(404);
    expect((await as("GET", `/users/${u.id}`)).status).toBe(404);
  });
});

describe("the last active admin", () => {
  it("cannot be deleted, deactivated or demoted; once another admin exists, it can", async () => {
    const admins = (await as("GET", "/users")).body.filter((u: { is_admin: boolean; is_active: boolean }) => u.is_admin && u.is_active);
    expect(admins).toHaveLength(1);
    const id = admins[0].id;
    for (const [method, path, body] of [
      ["DELETE", `/users/${id}`, undefined],
      ["PATCH", `/users/${id}`, { is_active: false }],
      ["PATCH", `/users/${id}`, { is_admin: false }],
      ["DELETE", `/admin/users/${id}`, undefined],
      ["PATCH", `/admin/users/${id}`, { is_active: false }],
    ] as const) {
      const r = await as(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(409);
      expect(r.body.detail).toMatch(/último administrador/);
    }
    // an inactive admin does not count as one
    const dormant = (await as("POST", "/users", { username: "admin-inativo", password: "senha-admin-2", is_admin: true, is_active: false }))
      .body;
    expect((await as("PATCH", `/users/${id}`, { is_admin: false })).status).toBe(409);
    expect((await as("PATCH", `/users/${dormant.id}`, { is_active: true })).status).toBe(200);
    const second = await s.login("admin-inativo", "senha-admin-2");
    const r = await s.request("PATCH", `/users/${id}`, { token: second, body: { is_admin: false } });
    expect(r.status).toBe(200);
    expect(r.body.is_admin).toBe(false);
    // now admin-inativo is the last one: it cannot delete itself
    expect((await s.request("DELETE", `/users/${dormant.id}`, { token: second })).status).toBe(409);
    // give the role back, for the rest of the file
    expect((await s.request("PATCH", `/users/${id}`, { token: second, body: { is_admin: true } })).status).toBe(200);
  });
});

describe("/admin/users (legacy duplicate, own shape)", () => {
  it("POST answers 200 {id, username, is_admin, is_active}; same rules", async () => {
    const r = await as("POST", "/admin/users", { username: "legado-admin", password: "senha-legado-1", is_admin: false });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(["id", "is_active", "is_admin", "username"]);
    expect((await as("POST", "/admin/users/", { username: "legado-admin", password: "senha-legado-1" })).status).toBe(400);
    expect((await as("POST", "/admin/users", { username: "x-curta", password: "curta" })).status).toBe(400);
    const viaUsers = await as("GET", `/users/${r.body.id}`);
    expect(viaUsers.body.setor).toBe("geral");
  });

  it("GET, PATCH and DELETE in the legacy shape; DELETE answers 200 with a message", async () => {
    const list = await as("GET", "/admin/users");
    expect(list.status).toBe(200);
    for (const u of list.body) expect(Object.keys(u).sort()).toEqual(["id", "is_active", "is_admin", "username"]);
    const target = list.body.find((u: { username: string }) => u.username === "legado-admin");
    expect((await as("GET", `/admin/users/${target.id}`)).body).toEqual(target);
    const patched = await as("PATCH", `/admin/users/${target.id}`, { is_active: false });
    expect(patched.body).toEqual({ ...target, is_active: false });
    const del = await as("DELETE", `/admin/users/${target.id}`);
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ message: "Usuário deletado com sucesso" });
    expect((await as("GET", `/admin/users/${target.id}`)).status).toBe(404);
  });

  it("is admin only", async () => {
    expect((await s.request("GET", "/admin/users", { token: userToken })).status).toBe(403);
    expect((await s.request("POST", "/admin/users", { token: userToken, body: { username: "x", password: "senha-longa-x" } })).status).toBe(
      403,
    );
  });
});
