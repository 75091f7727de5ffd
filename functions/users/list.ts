// GET /users: every user (admin screen). Passwords are never returned.
import { defineFunction } from "../../lib/function.ts";
import { listUsers } from "../../lib/auth/users.ts";
import { toUserRead } from "../../lib/auth/user-wire.ts";

export default defineFunction({
  method: "GET",
  path: "/users",
  guard: "admin",
  summary: "Lista os usuários",
  tags: ["usuários"],
  run: async (ctx) => (await ctx.db.read(listUsers)).map(toUserRead),
});
