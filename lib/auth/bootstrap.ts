import { randomBytes } from "node:crypto";
import type { Db } from "../db/connection.ts";
import type { Logger } from "../log.ts";
import { nowIso } from "../time.ts";
import { hashPasswordSync } from "./passwords.ts";
import { countActiveAdmins, insertUser } from "./users.ts";
import { emitUserChanged } from "./user-events.ts";

/**
 * At start, when no active admin exists: creates one from `SGP_ADMIN_USER` / `SGP_ADMIN_PASSWORD`, or `admin` with
 * a random password printed once to the console. Returns the password only when it was generated.
 */
export function bootstrapAdmin(
  db: Db,
  log: Logger,
  user: string | null,
  password: string | null,
): { username: string; generatedPassword: string | null } | null {
  return db.writeSync((tx) => {
    if (countActiveAdmins(tx) > 0) return null;
    const username = user ?? "admin";
    const generated = password ? null : randomBytes(12).toString("base64url");
    const hash = hashPasswordSync(password ?? generated!);
    const existing = tx.get<{ id: number }>(`SELECT id FROM "user" WHERE username = ?`, username);
    if (existing) {
      // The named account exists but is not an active admin: make it one with the configured password.
      tx.run(`UPDATE "user" SET password_hash = ?, is_admin = 1, is_active = 1, updated_at = ? WHERE id = ?`, hash, nowIso(), existing.id);
      emitUserChanged(tx, existing.id);
    } else {
      emitUserChanged(tx, insertUser(tx, { username, passwordHash: hash, isAdmin: true, isActive: true, setor: "geral" }, nowIso()));
    }
    log.warn({ username }, "bootstrap admin created");
    if (generated) {
      // Printed once, on purpose outside the JSON log, so the operator sees it.
      console.log(`\n  SGP: administrador criado -> usuário "${username}", senha "${generated}" (troque-a após o primeiro login)\n`);
    }
    return { username, generatedPassword: generated };
  });
}
