// `sgp check`: is this database sound, and do its image rows and the media folder agree? Read-only.
import { existsSync, statSync } from "node:fs";
import type { Dirent } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import type { Sql } from "../db/connection.ts";
import { migrationStatus } from "../db/migrate.ts";
import { openMediaStore } from "../media/store.ts";
import { summarize, type DatabaseSummary } from "./restore.ts";
import { isSqliteFile, openRaw, tableExists } from "./sqlite.ts";

export interface CheckSection {
  name: string;
  ok: boolean;
  /** Human-readable findings (at most a few examples per problem). */
  lines: string[];
}

export interface CheckReport {
  ok: boolean;
  summary: DatabaseSummary | null;
  sections: CheckSection[];
}

const EXAMPLES = 20;

/** Stored media references: order images, and the production sheets' images when that table exists. */
const MEDIA_REFERENCES: { table: string; column: string }[] = [
  { table: "pedido_imagens", column: "path" },
  { table: "fichas", column: "imagem_path" },
];
/** Folders under the media root whose files must all be referenced by a row (tmp uploads and staging excluded). */
const OWNED_FOLDERS = ["pedidos", "fichas"];
const UNOWNED = new Set(["pedidos/tmp", "pedidos/.staging"]);

/**
 * Runs `integrity_check`, `foreign_key_check`, the migration status and, with `mediaRoot`, the media files against
 * their rows. Missing files, broken foreign keys, corruption and a newer version are problems; files no row
 * references are reported as warnings (space, not data, is lost).
 */
export async function checkDatabase(opts: { dbPath: string; mediaRoot: string | null }): Promise<CheckReport> {
  const sections: CheckSection[] = [];
  if (!isSqliteFile(opts.dbPath)) {
    return {
      ok: false,
      summary: null,
      sections: [{ name: "banco", ok: false, lines: [`${opts.dbPath} não existe ou não é um banco SQLite`] }],
    };
  }
  const db = openRaw(opts.dbPath, { readonly: true });
  let summary: DatabaseSummary;
  let refs: string[] = [];
  try {
    summary = summarize(db.q);
    const integrity = db.q.all<{ integrity_check: string }>("PRAGMA integrity_check(100)").map((r) => r.integrity_check);
    const sound = integrity.length === 1 && integrity[0] === "ok";
    sections.push({ name: "integridade (integrity_check)", ok: sound, lines: sound ? ["ok"] : integrity.slice(0, EXAMPLES) });

    const fk = db.q.all<{ table: string; rowid: number | null; parent: string }>("PRAGMA foreign_key_check");
    sections.push({
      name: "chaves estrangeiras (foreign_key_check)",
      ok: fk.length === 0,
      lines:
        fk.length === 0
          ? ["ok"]
          : [
              `${fk.length} linha(s) apontam para registros que não existem`,
              ...fk.slice(0, EXAMPLES).map((r) => `${r.table} rowid ${r.rowid} → ${r.parent}`),
            ],
    });

    const status = migrationStatus(db.q);
    const lines = [`aplicadas: ${status.applied.length}`];
    if (status.pending.length)
      lines.push(`pendentes (aplicadas no próximo início): ${status.pending.map((m) => `${m.id}_${m.name}`).join(", ")}`);
    if (status.unknown.length) lines.push(`desconhecidas (gravadas por uma versão mais nova do SGP): ${status.unknown.join(", ")}`);
    sections.push({
      name: "migrações",
      ok: status.unknown.length === 0 && tableExists(db.q, "schema_migrations"),
      lines: tableExists(db.q, "schema_migrations") ? lines : ["não é um banco do SGP (sem schema_migrations)"],
    });
    refs = opts.mediaRoot ? mediaReferences(db.q) : [];
  } finally {
    db.close();
  }
  if (opts.mediaRoot) sections.push(await checkMedia(opts.mediaRoot, refs));
  return { ok: sections.every((s) => s.ok), summary, sections };
}

function mediaReferences(q: Sql): string[] {
  const out: string[] = [];
  for (const { table, column } of MEDIA_REFERENCES) {
    if (!tableExists(q, table) || !q.all<{ name: string }>(`PRAGMA table_info("${table}")`).some((c) => c.name === column)) continue;
    for (const r of q.all<{ p: string | null }>(
      `SELECT "${column}" AS p FROM "${table}" WHERE "${column}" IS NOT NULL AND "${column}" != ''`,
    )) {
      out.push(String(r.p).replace(/\\/g, "/"));
    }
  }
  return out;
}

async function checkMedia(root: string, refs: string[]): Promise<CheckSection> {
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    return {
      name: "mídia",
      ok: refs.length === 0,
      lines: [`a pasta ${root} não existe`, ...(refs.length ? [`${refs.length} imagem(ns) referenciadas sem arquivo`] : [])],
    };
  }
  const media = openMediaStore(root);
  const referenced = new Set<string>();
  const missing: string[] = [];
  const outside: string[] = [];
  for (const ref of refs) {
    const full = media.resolveInside(ref);
    if (!full) {
      outside.push(ref);
      continue;
    }
    referenced.add(full);
    try {
      if (!(await stat(full)).isFile()) missing.push(ref);
    } catch {
      missing.push(ref);
    }
  }
  const stray: string[] = [];
  for (const folder of OWNED_FOLDERS) await walk(join(root, folder), root, referenced, stray);
  const lines = [`${refs.length} referência(s), ${refs.length - missing.length - outside.length} arquivo(s) presentes`];
  if (missing.length)
    lines.push(`PROBLEMA: ${missing.length} arquivo(s) faltando`, ...missing.slice(0, EXAMPLES).map((p) => `  faltando: ${p}`));
  if (outside.length)
    lines.push(
      `PROBLEMA: ${outside.length} caminho(s) fora da pasta de mídia`,
      ...outside.slice(0, EXAMPLES).map((p) => `  inválido: ${p}`),
    );
  if (stray.length)
    lines.push(
      `aviso: ${stray.length} arquivo(s) sem registro (podem ser apagados)`,
      ...stray.slice(0, EXAMPLES).map((p) => `  sem registro: ${p}`),
    );
  return { name: "mídia (arquivos × registros)", ok: missing.length === 0 && outside.length === 0, lines };
}

/** Files under `dir` that no row references (bounded depth: the media layout is two levels deep). */
async function walk(dir: string, root: string, referenced: Set<string>, stray: string[], depth = 0): Promise<void> {
  if (depth > 4) return;
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const full = join(dir, e.name);
    const rel = relative(root, full).split(sep).join("/");
    if (e.isDirectory()) {
      if (!UNOWNED.has(rel)) await walk(full, root, referenced, stray, depth + 1);
    } else if (e.isFile() && !e.name.startsWith(".sgp-write-probe") && !referenced.has(full)) {
      stray.push(rel);
    }
  }
}
