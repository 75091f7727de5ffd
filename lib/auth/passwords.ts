import bcrypt from "bcryptjs";
import { badRequest } from "../errors.ts";

/**
 * Password hashing with bcrypt (bcryptjs: pure JS, so nothing native to build on the shop's Windows server, and
 * it verifies the original's `$2b$` hashes as they are).
 * note: cost 10 costs ~70 ms of main-thread CPU per hash in pure JS (12, the original's, ~280 ms).
 */
export const BCRYPT_ROUNDS = 10;

/** One rule for every new password (user management and change-password alike). */
export const PASSWORD_MIN_LENGTH = 8;
/** bcrypt reads only the first 72 bytes: a longer password would be silently truncated, so it is refused. */
export const PASSWORD_MAX_BYTES = 72;

export const hashPassword = (plain: string): Promise<string> => bcrypt.hash(plain, BCRYPT_ROUNDS);
export const hashPasswordSync = (plain: string): string => bcrypt.hashSync(plain, BCRYPT_ROUNDS);

/** True when `plain` matches `hash`. A hash that is not bcrypt never matches (legacy plaintext is migrated away). */
export async function verifyPassword(plain: string, hash: string): Promise<boolean> {
  if (!isBcryptHash(hash)) return false;
  return bcrypt.compare(plain, hash);
}

export const isBcryptHash = (hash: string): boolean => /^\$2[abxy]\$\d{2}\$/.test(hash);

/** A stored hash weaker than today's cost is re-hashed at the next successful login. */
export const needsRehash = (hash: string): boolean => isBcryptHash(hash) && Number(hash.slice(4, 6)) < BCRYPT_ROUNDS;

/** A hash of a random string: compared against when the user does not exist, so every failure costs the same. */
export const DUMMY_HASH = bcrypt.hashSync("sgp-timing-equaliser", BCRYPT_ROUNDS);

/**
 * Checks a new password against the one rule; `label` names it in the message ("Senha", "Nova senha").
 * @throws AppError 400 with a Portuguese message.
 */
export function assertNewPassword(plain: string, label = "Senha"): void {
  if (plain.length < PASSWORD_MIN_LENGTH) throw badRequest(`${label} deve ter ao menos ${PASSWORD_MIN_LENGTH} caracteres`);
  if (Buffer.byteLength(plain, "utf8") > PASSWORD_MAX_BYTES) throw badRequest(`${label} deve ter no máximo ${PASSWORD_MAX_BYTES} bytes`);
}
