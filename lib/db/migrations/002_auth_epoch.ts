import type { Migration } from "../migrate.ts";
import { AUTH_EPOCH_TRIGGERS } from "../../auth/epoch.ts";

/**
 * The auth epoch: one counter that triggers bump whenever a user row changes or is deleted, or a token is revoked,
 * whichever code or process writes it. The guard caches resolved sessions per epoch (lib/auth/sessions.ts).
 * note: rebuilding `user` or `revoked_tokens` in a later migration drops these triggers; that migration must
 * recreate them (the guard refuses to cache while they are missing).
 */
export const authEpoch: Migration = {
  id: 2,
  name: "auth_epoch",
  up(q) {
    q.run(`CREATE TABLE IF NOT EXISTS auth_epoch (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL)`);
    q.run(`INSERT OR IGNORE INTO auth_epoch (id, value) VALUES (1, 1)`);
    for (const sql of Object.values(AUTH_EPOCH_TRIGGERS)) q.run(sql);
  },
};
