// The built bundle as an IT person installs it: a folder with sgp.mjs and libsql.node, started from another working
// directory (a Windows service starts in System32). It reads the .env beside sgp.mjs, keeps data/ beside it, and
// runs every CLI command.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createLegacyDatabase } from "./fixtures/legacy-db.ts";
import { buildBundle, runSgp, tempDir } from "./ops-fixtures.ts";

let build: string;
let install: string;
let elsewhere: string;
let bundle: string;
let child: ChildProcess | null = null;
const dirs: string[] = [];

beforeAll(() => {
  build = buildBundle();
  install = tempDir("install");
  elsewhere = tempDir("elsewhere");
  dirs.push(build, install, elsewhere);
  for (const f of ["sgp.mjs", "libsql.node"]) copyFileSync(join(build, f), join(install, f));
  bundle = join(install, "sgp.mjs");
  // Inline comments and quotes, as an IT person writes them after uncommenting .env.example.
  writeFileSync(
    join(install, ".env"),
    [
      "HOST=127.0.0.1            # only this machine",
      "SGP_ADMIN_USER=chefe       # bootstrap admin",
      'SGP_ADMIN_PASSWORD="senha # do chefe"',
      "BACKUP_KEEP=3 # a few",
      "",
    ].join("\n"),
  );
}, 120_000);
afterAll(() => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Only PATH: everything else must come from the install folder. */
const bare = { PATH: process.env.PATH! };

describe("the bundle, installed and started from another working directory", () => {
  it("ships the install folder: bundle, native driver, service files, settings template", () => {
    expect(readdirSync(build).sort()).toEqual([".env.example", "install-service.ps1", "libsql.node", "sgp-service.xml", "sgp.mjs"]);
  });

  it("--help and --version touch nothing", async () => {
    for (const args of [["--help"], ["--version"]]) {
      const r = await runSgp(args, { bundle, cwd: elsewhere, env: bare });
      expect(r.code, r.stderr).toBe(0);
    }
    expect(readdirSync(install).sort()).toEqual([".env", "libsql.node", "sgp.mjs"]);
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it("serves with the install folder's .env (inline comments) and data/, not the working directory's", async () => {
    child = spawn(process.execPath, [bundle], { cwd: elsewhere, env: { ...bare, PORT: "0" }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (out += d));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`did not start:\n${out}`)), 30_000);
      const check = () => {
        const m = /"port":(\d+)[^\n]*SGP listening/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      };
      child!.stdout!.on("data", check);
      child!.once("exit", (code) => reject(new Error(`exited ${code}:\n${out}`)));
    });
    const login = await fetch(`http://127.0.0.1:${port}/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "chefe", password: "senha # do chefe" }),
    });
    expect(login.status).toBe(200);
    // The access line is there at the default level (info).
    await new Promise((r) => setTimeout(r, 200));
    expect(out).toMatch(/"method":"POST","path":"\/auth\/login","status":200/);
    expect(existsSync(join(install, "data", "sgp.db"))).toBe(true);
    expect(existsSync(join(install, "data", "secret.key"))).toBe(true);
    expect(existsSync(join(install, "media"))).toBe(true);
    expect(readdirSync(elsewhere)).toEqual([]);

    // Online backup from the same bundle while it serves; restore is refused meanwhile.
    const b = await runSgp(["backup"], { bundle, cwd: elsewhere, env: bare });
    expect(b.code, b.stderr).toBe(0);
    const copies = readdirSync(join(install, "data", "backups"));
    expect(copies.filter((f) => f.endsWith(".db"))).toHaveLength(1);
    expect(copies.filter((f) => f.endsWith(".secret.key"))).toHaveLength(1);
    const refused = await runSgp(["restore", join(install, "data", "backups", copies.find((f) => f.endsWith(".db"))!)], {
      bundle,
      cwd: elsewhere,
      env: bare,
    });
    expect(refused.code).toBe(1);

    const stopped = new Promise<number | null>((r) => child!.once("exit", r));
    child.kill("SIGINT");
    expect(await stopped).toBe(0);
    expect(out).toContain("SGP stopped");
    expect(existsSync(join(install, "data", "sgp.db.server.json"))).toBe(false);
  });

  it("runs every command: check, migrate --status, admin, restore, import-legacy", async () => {
    const run = (args: string[], input?: string) => runSgp(args, { bundle, cwd: elsewhere, env: bare, input });
    const check = await run(["check"]);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    const status = await run(["migrate", "--status"]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain("013_operations");
    expect((await run(["migrate"])).stdout).toContain("nada a migrar");
    expect((await run(["admin", "reset-password", "chefe", "--password-stdin"], "nova-senha-chefe\n")).code).toBe(0);
    expect((await run(["admin", "create", "segundo", "--password-stdin"], "segundo-admin-1\n")).code).toBe(0);
    // The scheduled backups' helper process, as the bundle's server spawns it (`node sgp.mjs internal-backup-helper`,
    // jobs over IPC); it ends when its parent goes.
    const job = {
      source: join(install, "data", "sgp.db"),
      dir: join(install, "data", "backups"),
      keep: 5,
      secretFile: join(install, "data", "secret.key"),
    };
    const helper = spawn(process.execPath, [bundle, "internal-backup-helper"], {
      cwd: elsewhere,
      env: bare,
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    const reply = await new Promise<any>((resolve, reject) => {
      helper.once("message", resolve);
      helper.once("exit", (code) => reject(new Error(`helper exited ${code}`)));
      helper.send({ id: 7, job });
    });
    expect(reply).toMatchObject({ id: 7, ok: true, result: { pruned: [] } });
    expect(existsSync(reply.result.file)).toBe(true);
    const gone = new Promise((r) => helper.once("exit", r));
    helper.disconnect();
    await gone;
    expect((await run(["internal-backup-helper"])).code).toBe(2);
    const copy = readdirSync(join(install, "data", "backups")).find((f) => f.endsWith(".db"))!;
    const restored = await run(["restore", join(install, "data", "backups", copy)]);
    expect(restored.code, restored.stderr).toBe(0);

    // import-legacy into a second, empty install (DATA_DIR elsewhere), from the original's banco.db.
    const legacy = join(elsewhere, "..", `${elsewhere.split("/").pop()}-banco.db`);
    createLegacyDatabase(legacy);
    dirs.push(legacy);
    const target = tempDir("install-legacy");
    dirs.push(target);
    mkdirSync(join(target, "data"));
    const imp = await runSgp(["import-legacy", legacy], { bundle, cwd: elsewhere, env: { ...bare, DATA_DIR: join(target, "data") } });
    expect(imp.code, imp.stderr).toBe(0);
    expect(imp.stdout).toContain("pedidos:   5 (de 5)");
    expect(existsSync(join(target, "data", "sgp.db"))).toBe(true);
  }, 120_000);
});
