import { toIsoUtc } from "../time.ts";
import type { UserRecord } from "./users.ts";

/** `/users` shape (the original's `UserRead`, without `password_plain`: passwords are never returned). */
export const toUserRead = (u: UserRecord) => ({
  id: u.id,
  username: u.username,
  is_admin: u.isAdmin,
  is_active: u.isActive,
  setor: u.setor,
  created_at: toIsoUtc(u.createdAt),
  updated_at: toIsoUtc(u.updatedAt),
});

/** `/admin/users` shape (the original's `UserResponse`). */
export const toAdminUser = (u: UserRecord) => ({ id: u.id, username: u.username, is_admin: u.isAdmin, is_active: u.isActive });
