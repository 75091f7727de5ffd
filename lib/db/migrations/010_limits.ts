import type { Migration } from "../migrate.ts";
import { ITEM_MONEY_KEYS } from "../../orders/pricing.ts";
import { isBlank } from "../../text.ts";

/**
 * Bounds and sessions:
 * - `login_attempts`: login failure counts shared by every process and kept across restarts (lib/auth/rate-limit.ts);
 * - `user.sessions_not_before` / `sessions_keep_jti`: a password change or reset ends the sessions issued before it
 *   (lib/auth/users.ts `endSessions`);
 * - item money fields never null (money is never null on the wire): a null or blank one becomes `"0.00"`
 *   (`valor_painel`/`valores_adicionais` are dropped instead: their absence means "not priced by the component
 *   rule"). Written amounts are kept exactly as they are, legacy spellings (`"R$ 50,00"`) included: a migration never
 *   rewrites stored money (new writes store every amount as `"1234.56"`).
 */
export const limits: Migration = {
  id: 10,
  name: "limits",
  up(q, { log }) {
    q.run(`CREATE TABLE IF NOT EXISTS login_attempts (
      key TEXT PRIMARY KEY,
      failures INTEGER NOT NULL,
      window_ends INTEGER NOT NULL
    )`);
    q.run(`CREATE INDEX IF NOT EXISTS ix_login_attempts_window ON login_attempts(window_ends)`);
    const userColumns = new Set(q.all<{ name: string }>(`SELECT name FROM pragma_table_info('user')`).map((c) => c.name));
    if (!userColumns.has("sessions_not_before")) q.run(`ALTER TABLE "user" ADD COLUMN sessions_not_before INTEGER NOT NULL DEFAULT 0`);
    if (!userColumns.has("sessions_keep_jti")) q.run(`ALTER TABLE "user" ADD COLUMN sessions_keep_jti TEXT`);

    let rewritten = 0;
    for (const r of q.all<{ id: number; data: string }>("SELECT id, data FROM pedido_itens")) {
      let data: Record<string, unknown>;
      try {
        data = JSON.parse(r.data);
      } catch {
        continue; // unreadable rows stay as they are (migration 003 logged them)
      }
      if (!data || typeof data !== "object" || Array.isArray(data)) continue;
      let changed = false;
      for (const key of ITEM_MONEY_KEYS) {
        if (!(key in data) || !isBlank(data[key])) continue;
        if (key === "valor_painel" || key === "valores_adicionais") delete data[key];
        else data[key] = "0.00";
        changed = true;
      }
      if (changed) {
        q.run("UPDATE pedido_itens SET data = ? WHERE id = ?", JSON.stringify(data), r.id);
        rewritten++;
      }
    }
    if (rewritten) log.info({ rewritten }, "blank item money fields set to 0.00");
  },
};
