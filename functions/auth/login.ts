// POST /auth/login: JSON {username, password} → the session the client keeps (it checks success, user_id,
// username and session_token). Rate-limited per address and per username (429 + Retry-After).
import * as v from "valibot";
import { defineFunction } from "../../lib/function.ts";
import { login } from "../../lib/auth/login.ts";
import { LoginResponse } from "../../lib/auth/wire-schemas.ts";

export default defineFunction({
  method: "POST",
  path: "/auth/login",
  guard: "public",
  summary: "Login: devolve o token de sessão",
  tags: ["auth"],
  response: LoginResponse,
  // 401: unknown user, wrong password or inactive user, alike; 429: too many attempts (Retry-After).
  errors: [401, 429],
  body: v.object({
    username: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200)),
    password: v.pipe(v.string(), v.minLength(1), v.maxLength(1024)),
  }),
  run: (ctx, { body }) => login(ctx, ctx.ip, body.username, body.password),
});
