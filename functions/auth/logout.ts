// POST /auth/logout: revokes the token that calls it, at once (the client sends a null body and ignores errors).
import { defineFunction } from "../../lib/function.ts";
import { logout } from "../../lib/auth/account.ts";
import { SuccessMessage } from "../../lib/wire-schemas.ts";

export default defineFunction({
  method: "POST",
  path: "/auth/logout",
  guard: "user",
  summary: "Logout: revoga o token atual",
  tags: ["auth"],
  response: SuccessMessage,
  run: (ctx) => logout(ctx.db, ctx.user),
});
