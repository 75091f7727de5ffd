import type { Migration } from "../migrate.ts";
import { createOrRebuild } from "../migrate.ts";
import { importLegacyFichas } from "../legacy-import.ts";

/** Production sheets (`/fichas`): the original's columns; `client_id` now a real reference (a deleted cliente clears it). */
export const FICHAS_TABLE = `CREATE TABLE fichas (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  client_id INTEGER REFERENCES cliente(id) ON DELETE SET NULL,
  nome TEXT,
  descricao TEXT,
  imagem_path TEXT,             -- fichas/{id}/<uuid>.<ext> under the media root
  data_criacao TEXT,
  ultima_atualizacao TEXT
)`;

/** Sheet layouts (`/fichas/templates`), one row per `template_type` (geral | resumo). */
export const FICHA_TEMPLATES_TABLE = `CREATE TABLE ficha_templates (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  template_type TEXT NOT NULL,
  title TEXT NOT NULL,
  width REAL NOT NULL,
  height REAL NOT NULL,
  marginTop REAL NOT NULL,
  marginBottom REAL NOT NULL,
  marginLeft REAL NOT NULL,
  marginRight REAL NOT NULL,
  fields TEXT NOT NULL DEFAULT '[]',   -- JSON list of field objects, unknown keys kept
  extra TEXT,                          -- ours: JSON object of the template's unknown top-level keys
  updatedAt TEXT NOT NULL
)`;

/**
 * Fichas, their sheet templates, and indexes for the reposição and print-log lists.
 * On a database that already holds the original's `fichas` / `ficha_templates` (the original's file, or one our
 * previous version took over: migration 1 left those tables as it found them), they are rebuilt into these shapes
 * with every row kept, then normalised once (`importLegacyFichas`). Their files (images under `fichas/`, HTML
 * templates under `templates/`) stay where the original wrote them, under the same media root.
 * note: `print_logs` needs no rebuild: it has no unique index per (pedido, item) (history is a matter of how rows
 * are written, lib/machines/print-logs.ts), so every existing row stays as it is.
 */
export const fichas: Migration = {
  id: 7,
  name: "fichas",
  up(q, { log }) {
    const f = createOrRebuild(q, "fichas", FICHAS_TABLE);
    const t = createOrRebuild(q, "ficha_templates", FICHA_TEMPLATES_TABLE);
    for (const [table, r] of [
      ["fichas", f],
      ["ficha_templates", t],
    ] as const) {
      if (r.dropped.length) log.warn({ table, dropped: r.dropped }, "legacy columns dropped");
    }
    if (f.rebuilt || t.rebuilt) importLegacyFichas(q, log);
    q.run("CREATE UNIQUE INDEX IF NOT EXISTS ux_ficha_templates_type ON ficha_templates(template_type)");
    q.run("CREATE INDEX IF NOT EXISTS ix_fichas_data_criacao ON fichas(data_criacao, id)");
    q.run("CREATE INDEX IF NOT EXISTS ix_reposicoes_created ON reposicoes(created_at, id)");
    // The print-log lists are ordered by time; the per-(pedido, item) upsert uses ix_print_logs_pedido.
    q.run("CREATE INDEX IF NOT EXISTS ix_print_logs_created ON print_logs(created_at, id)");
  },
};
