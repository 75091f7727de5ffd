// `sgp import-legacy`: takes over the original (Python) system's database into this install, leaving the original
// file untouched: a consistent copy is made, migrated (lib/db/migrate.ts, the same takeover a first start on
// `banco.db` does), checked, and only then put in place. Optionally the images it references are copied too.
import { copyFile, mkdir, stat } from "node:fs/promises";
import { mkdirSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import pino from "pino";
import { Writable } from "node:stream";
import { openDatabase } from "../db/connection.ts";
import { migrate, migrationStatus } from "../db/migrate.ts";
import type { Logger } from "../log.ts";
import { openMediaStore } from "../media/store.ts";
import { assertNoServer, setAside } from "./restore.ts";
import { isSqliteFile, openRaw, sqlOf, tableExists } from "./sqlite.ts";

export interface LegacyProgress {
  /** A new phase (`copiando`, `migrando`, …) of `total` units. */
  phase(name: string, total: number): void;
  tick(done: number): void;
}

export interface ImportSummary {
  source: { orders: number; users: number; clientes: number; images: number };
  imported: { orders: number; items: number; users: number; clientes: number; images: number; printLogs: number };
  /** Notable changes the takeover logged (renumbered orders, hashed plaintext passwords, …), by message. */
  changes: Record<string, number>;
  media: { copied: number; present: number; missing: number } | null;
  kept: string | null;
  ms: number;
}

const count = (q: ReturnType<typeof openRaw>["q"], table: string) =>
  tableExists(q, table) ? q.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "${table}"`)!.n : 0;

/** A logger that counts warnings by message (what the summary lists) and forwards errors to `log`. */
function countingLogger(log: Logger, changes: Record<string, number>): Logger {
  const sink = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split("\n")) {
        if (!line) continue;
        try {
          const rec = JSON.parse(line) as { level: number; msg: string };
          if (rec.level >= 40) changes[rec.msg] = (changes[rec.msg] ?? 0) + 1;
          if (rec.level >= 50) log.error(rec, rec.msg);
        } catch {
          // not JSON: ignore
        }
      }
      cb();
    },
  });
  return pino({ level: "warn" }, sink);
}

/**
 * Imports `source` (the original's `banco.db`) as the database at `dbPath`, which must not hold orders yet.
 * @throws Error with one Portuguese line when the source is not the original's database, the target already has
 * data, or a server runs on it.
 */
export async function importLegacy(opts: {
  source: string;
  dbPath: string;
  mediaRoot: string;
  legacyMedia: string | null;
  log: Logger;
  progress?: LegacyProgress;
}): Promise<ImportSummary> {
  const started = Date.now();
  const progress = opts.progress ?? { phase() {}, tick() {} };
  if (!isSqliteFile(opts.source)) throw new Error(`${opts.source} não existe ou não é um banco SQLite`);
  const src = openRaw(opts.source, { readonly: true });
  let source: ImportSummary["source"];
  try {
    if (!tableExists(src.q, "pedidos")) throw new Error(`${opts.source} não tem a tabela pedidos: não é um banco do sistema antigo`);
    if (tableExists(src.q, "schema_migrations") && src.q.get("SELECT 1 AS x FROM schema_migrations WHERE id = 1")) {
      throw new Error(`${opts.source} já é um banco deste SGP (use restore)`);
    }
    source = {
      orders: count(src.q, "pedidos"),
      users: count(src.q, "user"),
      clientes: count(src.q, "cliente"),
      images: count(src.q, "pedido_imagens"),
    };
  } finally {
    src.close();
  }
  await assertNoServer(opts.dbPath);
  if (isSqliteFile(opts.dbPath)) {
    const cur = openRaw(opts.dbPath, { readonly: true });
    try {
      const orders = count(cur.q, "pedidos");
      if (orders > 0)
        throw new Error(
          `o banco de destino ${opts.dbPath} já tem ${orders} pedido(s); importe num banco vazio (DATA_DIR ou DATABASE_URL novos)`,
        );
    } finally {
      cur.close();
    }
  }

  // 1. A consistent copy (VACUUM INTO reads a snapshot; the original is opened read-only).
  mkdirSync(dirname(opts.dbPath), { recursive: true });
  const work = join(dirname(opts.dbPath), `.${basename(opts.dbPath)}.importing-${process.pid}`);
  rmSync(work, { force: true });
  progress.phase("copiando o banco antigo", 1);
  const copySrc = openRaw(opts.source, { readonly: true });
  try {
    copySrc.conn.prepare("VACUUM INTO ?").run(work);
  } finally {
    copySrc.close();
  }
  progress.tick(1);

  // 2. The takeover: tables rebuilt into our shapes, values normalised, every later migration.
  const changes: Record<string, number> = {};
  let imported: ImportSummary["imported"];
  let refs: string[] = [];
  try {
    const db = openDatabase(work);
    try {
      const total = migrationStatus(sqlOf(db.raw)).pending.length;
      progress.phase("migrando (pedidos, itens, usuários, catálogos)", total);
      migrate(db, countingLogger(opts.log, changes), undefined, { backupFirst: false, progress: (_step, done) => progress.tick(done) });
      progress.tick(total);
      progress.phase("verificando", 1);
      const integrity = db.raw.prepare("PRAGMA integrity_check").all() as { integrity_check: string }[];
      if (integrity.map((r) => r.integrity_check).join() !== "ok")
        throw new Error(`o banco importado não passou no integrity_check: ${integrity[0]?.integrity_check}`);
      db.raw.exec("ANALYZE");
      progress.tick(1);
      const q = sqlOf(db.raw);
      imported = {
        orders: count(q, "pedidos"),
        items: count(q, "pedido_itens"),
        users: count(q, "user"),
        clientes: count(q, "cliente"),
        images: count(q, "pedido_imagens"),
        printLogs: count(q, "print_logs"),
      };
      refs = (db.raw.prepare("SELECT path FROM pedido_imagens").all() as { path: string }[]).map((r) => r.path);
    } finally {
      db.close();
    }
  } catch (err) {
    for (const f of [work, `${work}-wal`, `${work}-shm`]) rmSync(f, { force: true });
    throw err;
  }

  // 3. In place: an empty database that was there is kept aside, never deleted.
  const kept = setAside(opts.dbPath, "replaced");
  renameSync(work, opts.dbPath);
  for (const suffix of ["-wal", "-shm"]) rmSync(work + suffix, { force: true });

  // 4. The images the rows reference, from the original's media folder (files already present are kept).
  let media: ImportSummary["media"] = null;
  if (opts.legacyMedia) {
    media = { copied: 0, present: 0, missing: 0 };
    const from = openMediaStore(opts.legacyMedia);
    const to = openMediaStore(opts.mediaRoot);
    progress.phase("copiando imagens", refs.length);
    for (const [i, ref] of refs.entries()) {
      const src = from.resolveInside(ref);
      const dst = to.resolveInside(ref);
      if (!src || !dst || !(await isFile(src))) media.missing++;
      else if (await isFile(dst)) media.present++;
      else {
        await mkdir(dirname(dst), { recursive: true });
        await copyFile(src, dst);
        media.copied++;
      }
      progress.tick(i + 1);
    }
  }
  return { source: source!, imported: imported!, changes, media, kept, ms: Date.now() - started };
}

const isFile = async (p: string) => {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
};
