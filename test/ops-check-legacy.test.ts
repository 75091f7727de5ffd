// `sgp check` finds what is wrong (missing image files, broken foreign keys, stray files as warnings),
// `sgp import-legacy` takes the original's database over without touching it, and the backup helpers' edges.
import { afterAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../lib/config.ts";
import { createLogger } from "../lib/log.ts";
import { listBackups, pruneBackups } from "../lib/ops/backup.ts";
import { openRaw } from "../lib/ops/sqlite.ts";
import { startServer } from "../runtime/server.ts";
import { createLegacyDatabase } from "./fixtures/legacy-db.ts";
import { makePng, dataUrl } from "./helpers/images.ts";
import { envFor, runSgpHere, tempDir } from "./ops-fixtures.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const fresh = (name: string) => {
  const d = tempDir(name);
  dirs.push(d);
  return d;
};

const sgp = async (args: string[], env: Record<string, string>, baseDir: string) => {
  const r = await runSgpHere(args, env, baseDir);
  return { code: r.code, out: r.stdout, err: r.stderr };
};

describe("sgp check", () => {
  it("passes a sound database, then reports a missing image file and a broken foreign key; stray files only warn", async () => {
    const dir = fresh("check");
    const env = { ...envFor(dir), SGP_ADMIN_PASSWORD: "admin-pass-123", PORT: "0", HOST: "127.0.0.1" };
    const s = await startServer(loadConfig(env, dir), { log: createLogger("silent"), schedule: false });
    const login = await fetch(`${s.url}/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "admin", password: "admin-pass-123" }),
    });
    const token = ((await login.json()) as { session_token: string }).session_token;
    const created = await fetch(`${s.url}/pedidos/`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({
        cliente: "Com imagem",
        data_entrada: "2026-12-01",
        items: [{ tipo_producao: "totem", imagem: dataUrl(makePng()) }],
      }),
    });
    expect(created.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300)); // the staged file moves into place after COMMIT
    await s.close(1_000);

    const ok = await sgp(["check"], env, dir);
    expect(ok.code, ok.out + ok.err).toBe(0);
    expect(ok.out).toContain("1 referência(s), 1 arquivo(s) presentes");

    const db = openRaw(join(dir, "sgp.db"));
    const path = db.q.get<{ path: string }>("SELECT path FROM pedido_imagens")!.path;
    db.close();
    mkdirSync(join(dir, "media", "pedidos", "77"), { recursive: true });
    writeFileSync(join(dir, "media", "pedidos", "77", "sobra.png"), makePng());
    const stray = await sgp(["check"], env, dir);
    expect(stray.code).toBe(0);
    expect(stray.out).toContain("aviso: 1 arquivo(s) sem registro");
    expect(stray.out).toContain("pedidos/77/sobra.png");

    rmSync(join(dir, "media", path));
    const missing = await sgp(["check"], env, dir);
    expect(missing.code).toBe(1);
    expect(missing.out).toContain("PROBLEMA: 1 arquivo(s) faltando");
    expect(missing.out).toContain(`faltando: ${path}`);
    expect(missing.out).toContain("resultado: PROBLEMAS encontrados");

    const raw = openRaw(join(dir, "sgp.db"));
    raw.conn.exec("PRAGMA foreign_keys = OFF");
    raw.conn.exec("INSERT INTO pedido_itens (pedido_id, posicao, data) VALUES (424242, 0, '{}')");
    raw.close();
    const fk = await sgp(["check", "--no-media"], env, dir);
    expect(fk.code).toBe(1);
    expect(fk.out).toMatch(/\[PROBLEMA\] chaves estrangeiras.*\n.*1 linha\(s\) apontam/);
  });

  it("a file that is not a database is one problem, not a crash", async () => {
    const dir = fresh("check-junk");
    writeFileSync(join(dir, "x.db"), "texto");
    const r = await sgp(["check", join(dir, "x.db")], envFor(dir), dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain("não existe ou não é um banco SQLite");
  });
});

describe("sgp import-legacy", () => {
  it("imports the original's banco.db (and its images) into an empty install, leaving the original untouched", async () => {
    const dir = fresh("legacy");
    const old = join(dir, "antigo");
    mkdirSync(join(old, "media", "pedidos", "1"), { recursive: true });
    createLegacyDatabase(join(old, "banco.db"));
    writeFileSync(join(old, "media", "pedidos", "1", "abc.png"), makePng());
    const hash = () =>
      createHash("sha256")
        .update(readFileSync(join(old, "banco.db")))
        .digest("hex");
    const before = { hash: hash(), mtime: statSync(join(old, "banco.db")).mtimeMs };
    const install = join(dir, "novo");
    const env = { ...envFor(install) };

    const r = await sgp(["import-legacy", join(old, "banco.db"), "--media", join(old, "media")], env, install);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("pedidos:   5 (de 5)");
    expect(r.out).toContain("usuários:  2 (de 2)");
    expect(r.out).toContain("arquivos de imagem: 1 copiado(s), 0 já presente(s), 1 faltando na pasta antiga");
    expect(r.out).toMatch(/\d+× duplicate numero renumbered/);
    expect(r.out).toMatch(/1× plaintext legacy password hashed/);
    expect(hash()).toBe(before.hash);
    expect(statSync(join(old, "banco.db")).mtimeMs).toBe(before.mtime);
    expect(readFileSync(join(install, "media", "pedidos", "1", "abc.png"))).toEqual(makePng());

    // The result is a working SGP database: a server starts on it and the legacy admin logs in with the old password.
    const s = await startServer(loadConfig({ ...env, PORT: "0", HOST: "127.0.0.1" }, install), {
      log: createLogger("silent"),
      schedule: false,
    });
    try {
      const login = await fetch(`${s.url}/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "admin", password: "senha-antiga-1" }),
      });
      expect(login.status).toBe(200);
    } finally {
      await s.close(1_000);
    }
    const check = await sgp(["check", "--no-media"], env, install);
    expect(check.code, check.out).toBe(0);

    // Twice is refused: the target has orders now. Our own database as a source is refused too.
    const again = await sgp(["import-legacy", join(old, "banco.db")], env, install);
    expect(again.code).toBe(1);
    expect(again.err).toContain("já tem 5 pedido(s)");
    const ours = await sgp(["import-legacy", join(install, "sgp.db")], envFor(fresh("legacy-2")), dir);
    expect(ours.code).toBe(1);
    expect(ours.err).toContain("já é um banco deste SGP (use restore)");
  });
});

describe("backup helpers", () => {
  it("order backups by stamp and same-second suffix, and prune only our own names", () => {
    const dir = fresh("prune");
    for (const n of [
      "sgp-20260101-000000.db",
      "sgp-20260102-000000.db",
      "sgp-20260102-000000-1.db",
      "sgp-20260102-000000-2.db",
      "meu-backup.db",
    ]) {
      writeFileSync(join(dir, n), "x");
      writeFileSync(join(dir, `${n}.secret.key`), "k");
    }
    writeFileSync(join(dir, "sgp-20260103-000000.db.partial-999999"), "x");
    expect(listBackups(dir).map((f) => f.split("/").pop())).toEqual([
      "sgp-20260102-000000-2.db",
      "sgp-20260102-000000-1.db",
      "sgp-20260102-000000.db",
      "sgp-20260101-000000.db",
    ]);
    const removed = pruneBackups(dir, 2).map((f) => f.split("/").pop());
    expect(removed).toEqual(["sgp-20260102-000000.db", "sgp-20260101-000000.db"]);
    const left = listBackups(dir).map((f) => f.split("/").pop());
    expect(left).toEqual(["sgp-20260102-000000-2.db", "sgp-20260102-000000-1.db"]);
    copyFileSync(join(dir, "meu-backup.db"), join(dir, "meu-backup-2.db"));
    expect(statSync(join(dir, "meu-backup.db")).size).toBe(1);
    expect(() => statSync(join(dir, "sgp-20260101-000000.db.secret.key"))).toThrow();
    expect(() => statSync(join(dir, "sgp-20260103-000000.db.partial-999999"))).toThrow();
  });
});
