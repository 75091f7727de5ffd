// POST /auth/change-password: {current_password, new_password} → {success, message}; 400 with detail otherwise.
import { defineFunction } from "../../lib/function.ts";
import { changePassword } from "../../lib/auth/account.ts";
import { ChangePassword } from "../../lib/auth/user-schemas.ts";
import { SuccessMessage } from "../../lib/wire-schemas.ts";

export default defineFunction({
  method: "POST",
  path: "/auth/change-password",
  guard: "user",
  summary: "Troca a própria senha",
  tags: ["auth"],
  response: SuccessMessage,
  errors: [400, 429],
  body: ChangePassword,
  run: (ctx, { body }) => changePassword(ctx, ctx.user, ctx.ip, body.current_password, body.new_password),
});
