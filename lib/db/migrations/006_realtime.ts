import type { Migration } from "../migrate.ts";

/**
 * Realtime: an index to find the newest event of a type (`/api/notificacoes/ultimos`), and the designer
 * notifications' read state. Each notification row is written with its `designer_art_ready` event, in one
 * transaction (lib/events/notifications.ts).
 * note: no foreign keys: a notification outlives its order, and `user` may be rebuilt by a later migration.
 */
export const realtime: Migration = {
  id: 6,
  name: "realtime",
  up(q) {
    q.run(`CREATE INDEX IF NOT EXISTS ix_event_log_type ON event_log(type, id)`);
    q.run(`CREATE TABLE IF NOT EXISTS notificacoes (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      notification_id TEXT NOT NULL UNIQUE,
      user_id INTEGER NOT NULL,
      order_id INTEGER,
      art_id INTEGER,
      tipo TEXT NOT NULL,
      titulo TEXT NOT NULL,
      mensagem TEXT NOT NULL,
      event_id INTEGER,
      created_at TEXT NOT NULL,
      read_at TEXT
    )`);
    q.run(`CREATE INDEX IF NOT EXISTS ix_notificacoes_user ON notificacoes(user_id, read_at, id)`);
  },
};
