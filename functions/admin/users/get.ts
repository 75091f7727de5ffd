// GET /admin/users/:id: one user in the legacy shape, or 404 "Usuário não encontrado".
import { defineFunction } from "../../../lib/function.ts";
import { notFound } from "../../../lib/errors.ts";
import { findUserById } from "../../../lib/auth/users.ts";
import { USER_NOT_FOUND } from "../../../lib/auth/user-admin.ts";
import { UserIdParams } from "../../../lib/auth/user-schemas.ts";
import { toAdminUser } from "../../../lib/auth/user-wire.ts";
import { AdminUser } from "../../../lib/auth/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/admin/users/:id",
  guard: "admin",
  summary: "Um usuário (rota legada)",
  tags: ["usuários"],
  response: AdminUser,
  params: UserIdParams,
  async run(ctx, { params }) {
    const user = await ctx.db.read((q) => findUserById(q, params.id));
    if (!user) throw notFound(USER_NOT_FOUND);
    return toAdminUser(user);
  },
});
