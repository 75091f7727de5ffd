// GET /users: every user (admin screen). Passwords are never returned.
import * as v from "valibot";
import { defineFunction } from "../../lib/function.ts";
import { listUsers } from "../../lib/auth/users.ts";
import { toUserRead } from "../../lib/auth/user-wire.ts";
import { UserRead } from "../../lib/auth/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/users",
  guard: "admin",
  summary: "Lista os usuários",
  tags: ["usuários"],
  response: v.array(UserRead),
  run: async (ctx) => (await ctx.db.read(listUsers)).map(toUserRead),
});
