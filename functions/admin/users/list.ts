// GET /admin/users: the legacy duplicate of /users, in its own shape {id, username, is_admin, is_active}.
import * as v from "valibot";
import { defineFunction } from "../../../lib/function.ts";
import { listUsers } from "../../../lib/auth/users.ts";
import { toAdminUser } from "../../../lib/auth/user-wire.ts";
import { AdminUser } from "../../../lib/auth/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/admin/users",
  guard: "admin",
  summary: "Lista os usuários (rota legada)",
  tags: ["usuários"],
  response: v.array(AdminUser),
  run: async (ctx) => (await ctx.db.read(listUsers)).map(toAdminUser),
});
