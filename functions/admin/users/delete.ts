// DELETE /admin/users/:id: same rules as DELETE /users/:id, but 200 with the original's message.
import { defineFunction } from "../../../lib/function.ts";
import { removeUser } from "../../../lib/auth/user-admin.ts";
import { UserIdParams } from "../../../lib/auth/user-schemas.ts";
import { MessageResponse } from "../../../lib/wire-schemas.ts";

export default defineFunction({
  method: "DELETE",
  path: "/admin/users/:id",
  guard: "admin",
  summary: "Exclui um usuário (rota legada)",
  tags: ["usuários"],
  response: MessageResponse,
  errors: [409],
  params: UserIdParams,
  async run(ctx, { params }) {
    await removeUser(ctx.db, params.id);
    return { message: "Usuário deletado com sucesso" };
  },
});
