// POST /users: creates a user (201). 400 for a taken name or a short password, as the original.
import { defineFunction } from "../../lib/function.ts";
import { createUser } from "../../lib/auth/user-admin.ts";
import { UserCreate } from "../../lib/auth/user-schemas.ts";
import { toUserRead } from "../../lib/auth/user-wire.ts";
import { UserRead } from "../../lib/auth/wire-schemas.ts";

export default defineFunction({
  method: "POST",
  path: "/users",
  guard: "admin",
  summary: "Cria um usuário",
  tags: ["usuários"],
  status: 201,
  response: UserRead,
  errors: [400],
  body: UserCreate,
  run: async (ctx, { body }) => toUserRead(await createUser(ctx.db, body)),
});
