// GET /users/:id: one user, or 404 "Usuário não encontrado".
import { defineFunction } from "../../lib/function.ts";
import { notFound } from "../../lib/errors.ts";
import { findUserById } from "../../lib/auth/users.ts";
import { USER_NOT_FOUND } from "../../lib/auth/user-admin.ts";
import { UserIdParams } from "../../lib/auth/user-schemas.ts";
import { toUserRead } from "../../lib/auth/user-wire.ts";
import { UserRead } from "../../lib/auth/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/users/:id",
  guard: "admin",
  summary: "Um usuário",
  tags: ["usuários"],
  response: UserRead,
  params: UserIdParams,
  async run(ctx, { params }) {
    const user = await ctx.db.read((q) => findUserById(q, params.id));
    if (!user) throw notFound(USER_NOT_FOUND);
    return toUserRead(user);
  },
});
