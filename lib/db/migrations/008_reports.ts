import type { Migration } from "../migrate.ts";
import { createOrRebuild } from "../migrate.ts";
import { toIsoUtc } from "../../time.ts";

/**
 * Reports and analytics (issue 11):
 * - `relatorio_templates`: the report templates of the client's editor, one row per `template_type`
 *   (envios | fechamentos). The original created this table (its router was never mounted), so a database taken
 *   over may hold it: it is rebuilt into this shape with its rows kept. `extra` (ours) keeps the keys we do not know.
 * - `safira_logs`: every question asked to Safira (the original's table, taken over the same way).
 * - `ix_pedidos_status_atualizacao`: "still in production since", "completed today" (status + last update range).
 *   The period filters use the existing `ix_pedidos_data_entrada` / `ix_pedidos_data_entrega` (migration 001).
 * Timestamps of taken-over rows are normalised to ISO UTC, like every other table's.
 */
export const reports: Migration = {
  id: 8,
  name: "reports",
  up(q) {
    createOrRebuild(
      q,
      "relatorio_templates",
      `CREATE TABLE relatorio_templates (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      template_type TEXT NOT NULL,
      title TEXT NOT NULL,
      headerFields TEXT NOT NULL DEFAULT '{}',
      styles TEXT NOT NULL DEFAULT '{}',
      tableConfig TEXT,
      pageConfig TEXT,
      extra TEXT,                       -- ours: keys of the template we do not know, kept as sent
      updatedAt TEXT NOT NULL
    )`,
    );
    q.run("CREATE UNIQUE INDEX IF NOT EXISTS ux_relatorio_templates_type ON relatorio_templates(template_type)");
    createOrRebuild(
      q,
      "safira_logs",
      `CREATE TABLE safira_logs (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      pergunta TEXT NOT NULL,
      intent_detectada TEXT NOT NULL,
      reconhecida INTEGER NOT NULL DEFAULT 0,
      usuario_id INTEGER,               -- no foreign key: a log outlives its user
      created_at TEXT NOT NULL
    )`,
    );
    q.run("CREATE INDEX IF NOT EXISTS ix_safira_logs_created ON safira_logs(created_at)");
    q.run("CREATE INDEX IF NOT EXISTS ix_pedidos_status_atualizacao ON pedidos(status, ultima_atualizacao)");
    for (const [table, col] of [
      ["relatorio_templates", "updatedAt"],
      ["safira_logs", "created_at"],
    ] as const) {
      for (const r of q.all<{ id: number; v: unknown }>(`SELECT id, ${col} AS v FROM ${table}`)) {
        const iso = toIsoUtc(r.v);
        if (iso !== r.v) q.run(`UPDATE ${table} SET ${col} = ? WHERE id = ?`, iso ?? new Date(0).toISOString(), r.id);
      }
    }
  },
};
