// POST /admin/users: same rules as POST /users, but answers 200 in the legacy shape, as the original did.
import { defineFunction } from "../../../lib/function.ts";
import { createUser } from "../../../lib/auth/user-admin.ts";
import { UserCreate } from "../../../lib/auth/user-schemas.ts";
import { toAdminUser } from "../../../lib/auth/user-wire.ts";
import { AdminUser } from "../../../lib/auth/wire-schemas.ts";

export default defineFunction({
  method: "POST",
  path: "/admin/users",
  guard: "admin",
  summary: "Cria um usuário (rota legada)",
  tags: ["usuários"],
  response: AdminUser,
  errors: [400],
  body: UserCreate,
  run: async (ctx, { body }) => toAdminUser(await createUser(ctx.db, body)),
});
