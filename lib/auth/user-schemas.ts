import * as v from "valibot";
import { pathId } from "../schemas.ts";

/** `/users/:id` and `/admin/users/:id`: a non-numeric id is a 404, like every id in the API. */
export const UserIdParams = v.object({ id: pathId });

const Username = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(1, "Nome de usuário obrigatório"),
  v.maxLength(64, "Nome de usuário deve ter no máximo 64 caracteres"),
);
// Length rules give a 400 with the original's messages (lib/auth/passwords.ts), not a 422.
const Password = v.pipe(v.string(), v.maxLength(1024));
const Setor = v.pipe(v.string(), v.trim(), v.maxLength(50, "Setor deve ter no máximo 50 caracteres"));

export const UserCreate = v.object({
  username: Username,
  password: Password,
  is_admin: v.optional(v.boolean(), false),
  is_active: v.optional(v.boolean(), true),
  setor: v.optional(v.nullable(Setor), "geral"),
});

/** Every key optional; `password` empty or null means "unchanged" (the client sends it only when typed). */
export const UserPatch = v.object({
  username: v.optional(Username),
  password: v.optional(v.nullable(Password)),
  is_admin: v.optional(v.boolean()),
  is_active: v.optional(v.boolean()),
  setor: v.optional(v.nullable(Setor)),
});

export const ChangePassword = v.object({
  current_password: v.pipe(v.string(), v.maxLength(1024)),
  new_password: Password,
});

export type UserCreateInput = v.InferOutput<typeof UserCreate>;
export type UserPatchInput = v.InferOutput<typeof UserPatch>;
