// GET /auth/me: who the token stands for (the original's {user_id, username}, plus role and setor).
import { defineFunction } from "../../lib/function.ts";
import { Me } from "../../lib/auth/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/auth/me",
  guard: "user",
  summary: "Usuário da sessão atual",
  tags: ["auth"],
  response: Me,
  run: ({ user }) => ({ user_id: user.id, username: user.username, is_admin: user.isAdmin, setor: user.setor }),
});
