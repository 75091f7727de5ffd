// The command line itself: help and version touch nothing, unknown commands and flags are one line and exit 2,
// and the command table is generated from the files under runtime/cli/commands/.
import { describe, expect, it } from "vitest";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { generateCommands } from "../scripts/gen-functions.mjs";
import { runCli } from "../runtime/cli/index.ts";
import { defineCommand, type CommandIO } from "../runtime/cli/command.ts";
import { commands } from "../runtime/cli/commands.gen.ts";
import { REPO, runSgp, tempDir } from "./ops-fixtures.ts";

const VERSION = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")).version;

/** An in-process IO: what the command printed, and an install folder of its own. */
function memoryIO(env: Record<string, string> = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (d) => (out += d));
  stderr.on("data", (d) => (err += d));
  const baseDir = tempDir("cli-io");
  const io: CommandIO = { stdout, stderr, stdin: new PassThrough(), env, baseDir };
  return { io, baseDir, out: () => out, err: () => err };
}

describe("sgp --help and --version", () => {
  it("print, exit 0 and create nothing, from any working directory (a real process)", async () => {
    const cwd = tempDir("cli-cwd");
    for (const args of [["--help"], ["--version"], ["admin", "reset-password", "-h"]]) {
      const r = await runSgp(args, { cwd, env: {} });
      expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(0);
      expect(r.stderr).toBe("");
      if (args[0].includes("version")) expect(r.stdout.trim()).toBe(VERSION);
      else expect(r.stdout).toMatch(/Uso: sgp/);
    }
    expect(readdirSync(cwd)).toEqual([]);
    // The source tree's install folder is the repository: no data/ appeared there either.
    expect(existsSync(join(REPO, "data", "sgp.db"))).toBe(false);
  });

  it("every spelling of help and version (in-process): output, exit 0, nothing in the install folder", async () => {
    for (const args of [["help"], ["-h"], ["version"], ["-v"], ["help", "backup"], ["backup", "--help"], ["help", "admin", "create"]]) {
      const m = memoryIO();
      expect(await runCli(args, m.io), args.join(" ")).toBe(0);
      expect(m.out()).toMatch(args[0].startsWith("v") || args[0] === "-v" ? new RegExp(`^${VERSION}\n$`) : /Uso: sgp/);
      expect(readdirSync(m.baseDir)).toEqual([]);
    }
  });

  it("lists every visible command, never the internal ones", async () => {
    const m = memoryIO();
    expect(await runCli(["--help"], m.io)).toBe(0);
    for (const name of ["serve", "admin create", "admin reset-password", "backup", "restore", "migrate", "check", "import-legacy"]) {
      expect(m.out()).toContain(name);
    }
    expect(m.out()).not.toContain("internal-backup");
    expect(readdirSync(m.baseDir)).toEqual([]);
  });
});

describe("mistakes on the command line", () => {
  it.each([
    [["nada"], /comando desconhecido "nada"/],
    [["backup", "--nope"], /sgp backup: opção desconhecida "--nope"/],
    [["--workers", "2", "--porta", "1"], /sgp serve: opção desconhecida "--porta"/],
    [["admin"], /sgp admin: subcomando ausente \(use: create, reset-password\)/],
    [["admin", "delete", "x"], /subcomando desconhecido "delete"/],
    [["restore"], /faltam argumentos/],
    [["restore", "a.db", "b.db"], /argumento a mais "b.db"/],
    [["backup", "--out"], /sgp backup: /],
  ])("%j: one clear line, exit 2, nothing touched", async (argv, message) => {
    const m = memoryIO();
    expect(await runCli(argv, m.io)).toBe(2);
    expect(m.err().trim().split("\n")).toHaveLength(1);
    expect(m.err()).toMatch(message);
    expect(readdirSync(m.baseDir)).toEqual([]);
  });

  it("a real process exits 2 with one line", async () => {
    const r = await runSgp(["backp"], { env: {} });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual(['sgp: comando desconhecido "backp" (veja sgp --help)']);
  });

  it("an invalid setting is one line and exit 2, for any command that needs the configuration", async () => {
    const m = memoryIO({ LOG_LEVEL: "tagarela" });
    expect(await runCli(["check"], m.io)).toBe(2);
    expect(m.err().trim()).toMatch(/^Configuração inválida: LOG_LEVEL/);
    expect(readdirSync(m.baseDir)).toEqual([]);
  });
});

describe("the command registry", () => {
  it("runtime/cli/commands.gen.ts is current with runtime/cli/commands/", () => {
    expect(readFileSync(join(REPO, "runtime/cli/commands.gen.ts"), "utf8")).toBe(generateCommands());
  });

  it("names are unique and every command has a usage and a summary", () => {
    const names = commands.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const c of commands) {
      expect(c.usage.startsWith(c.name)).toBe(true);
      expect(c.summary.length).toBeGreaterThan(5);
    }
  });

  it("a new command is one definition: parsed options, positionals and its exit code", async () => {
    const seen: unknown[] = [];
    const extra = defineCommand({
      name: "sync replay",
      summary: "teste de registro",
      usage: "sync replay <sink> [--from N]",
      options: { from: { type: "string" } },
      positionals: { min: 1, max: 1 },
      run(ctx) {
        seen.push(ctx.positionals[0], ctx.values.from);
        return 3;
      },
    });
    const m = memoryIO();
    expect(await runCli(["sync", "replay", "mysql", "--from", "10"], m.io, [...commands, extra])).toBe(3);
    expect(seen).toEqual(["mysql", "10"]);
    expect(await runCli(["sync"], m.io, [...commands, extra])).toBe(2);
    expect(m.err()).toContain("use: backfill");
  });
});
