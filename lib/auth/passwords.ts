import bcrypt from "bcryptjs";

/**
 * Password hashing with bcrypt (bcryptjs: pure JS, so nothing native to build on the shop's Windows server, and
 * it verifies the original's `$2b$` hashes as they are).
 */
export const BCRYPT_ROUNDS = 10;

export const hashPassword = (plain: string): Promise<string> => bcrypt.hash(plain, BCRYPT_ROUNDS);
export const hashPasswordSync = (plain: string): string => bcrypt.hashSync(plain, BCRYPT_ROUNDS);

/** True when `plain` matches `hash`. A hash that is not bcrypt never matches (legacy plaintext is migrated away). */
export async function verifyPassword(plain: string, hash: string): Promise<boolean> {
  if (!isBcryptHash(hash)) return false;
  return bcrypt.compare(plain, hash);
}

export const isBcryptHash = (hash: string): boolean => /^\$2[abxy]\$\d{2}\$/.test(hash);

/** A hash of a random string: compared against when the user does not exist, so every failure costs the same. */
export const DUMMY_HASH = bcrypt.hashSync("sgp-timing-equaliser", BCRYPT_ROUNDS);
