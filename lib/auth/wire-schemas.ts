import * as v from "valibot";
import { Id, named, Timestamp } from "../wire-schemas.ts";

/** Wire shapes of `/auth`, `/users` and `/admin/users` (passwords are never part of any of them). */

/** `/users` (the original's `UserRead`, without `password_plain`); `lib/auth/user-wire.ts` `toUserRead`. */
export const UserRead = named(
  "UserRead",
  v.object({
    id: Id,
    username: v.string(),
    is_admin: v.boolean(),
    is_active: v.boolean(),
    setor: v.string(),
    created_at: v.nullable(Timestamp),
    updated_at: v.nullable(Timestamp),
  }),
);

/** `/admin/users` (the original's `UserResponse`); `toAdminUser`. */
export const AdminUser = named("AdminUser", v.object({ id: Id, username: v.string(), is_admin: v.boolean(), is_active: v.boolean() }));

/** `POST /auth/login`: the session the client keeps (it reads `success`, `user_id`, `username`, `session_token`). */
export const LoginResponse = named(
  "LoginResponse",
  v.object({
    success: v.literal(true),
    user_id: Id,
    username: v.string(),
    is_admin: v.boolean(),
    setor: v.string(),
    session_token: v.pipe(v.string(), v.description("JWT HS256; envie como `Authorization: Bearer <token>`")),
    message: v.string(),
  }),
);

/** `GET /auth/me`. */
export const Me = named("Me", v.object({ user_id: Id, username: v.string(), is_admin: v.boolean(), setor: v.string() }));
