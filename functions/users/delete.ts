// DELETE /users/:id: 204; the user's tokens stop working at once; the last active admin cannot be deleted.
import { defineFunction } from "../../lib/function.ts";
import { removeUser } from "../../lib/auth/user-admin.ts";
import { UserIdParams } from "../../lib/auth/user-schemas.ts";

export default defineFunction({
  method: "DELETE",
  path: "/users/:id",
  guard: "admin",
  summary: "Exclui um usuário",
  tags: ["usuários"],
  status: 204,
  errors: [409],
  params: UserIdParams,
  async run(ctx, { params }) {
    await removeUser(ctx.db, params.id);
    return null;
  },
});
