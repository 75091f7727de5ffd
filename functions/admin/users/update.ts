// PATCH /admin/users/:id: same rules as PATCH /users/:id, legacy shape.
import { defineFunction } from "../../../lib/function.ts";
import { patchUser } from "../../../lib/auth/user-admin.ts";
import { UserIdParams, UserPatch } from "../../../lib/auth/user-schemas.ts";
import { toAdminUser } from "../../../lib/auth/user-wire.ts";
import { AdminUser } from "../../../lib/auth/wire-schemas.ts";

export default defineFunction({
  method: "PATCH",
  path: "/admin/users/:id",
  guard: "admin",
  summary: "Altera um usuário (rota legada)",
  tags: ["usuários"],
  response: AdminUser,
  errors: [400, 409],
  params: UserIdParams,
  body: UserPatch,
  run: async (ctx, { params, body }) =>
    toAdminUser(await patchUser(ctx.db, params.id, body, { keepJti: params.id === ctx.user.id ? ctx.user.tokenId : null })),
});
