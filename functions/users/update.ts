// PATCH /users/:id: partial update; an empty password means "unchanged"; the last active admin stays one.
import { defineFunction } from "../../lib/function.ts";
import { patchUser } from "../../lib/auth/user-admin.ts";
import { UserIdParams, UserPatch } from "../../lib/auth/user-schemas.ts";
import { toUserRead } from "../../lib/auth/user-wire.ts";
import { UserRead } from "../../lib/auth/wire-schemas.ts";

export default defineFunction({
  method: "PATCH",
  path: "/users/:id",
  guard: "admin",
  summary: "Altera um usuário",
  tags: ["usuários"],
  response: UserRead,
  errors: [400, 409],
  params: UserIdParams,
  body: UserPatch,
  run: async (ctx, { params, body }) =>
    toUserRead(await patchUser(ctx.db, params.id, body, { keepJti: params.id === ctx.user.id ? ctx.user.tokenId : null })),
});
