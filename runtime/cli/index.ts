// The SGP command line: `node sgp.mjs [command] [options]` (a build) or `npm run sgp -- [command]` (the source tree).
// No command (or only options such as `--workers 2`) means `serve`. Help and version touch nothing: no
// configuration is loaded, no file or folder is created.
import { parseArgs } from "node:util";
import { join } from "node:path";
import { ConfigError, loadConfig, type Config } from "../../lib/config.ts";
import { AppError } from "../../lib/errors.ts";
import { createLogger, type Logger } from "../../lib/log.ts";
import { NewerDatabaseError } from "../../lib/db/migrate.ts";
import { StartupError } from "../../lib/ops/health.ts";
import { installDir, packageVersion } from "../../lib/ops/install.ts";
import { CliError, type AnyCommandDef, type CommandCtx, type CommandIO, type CommandResult } from "./command.ts";
import { commands as registered } from "./commands.gen.ts";

const PROGRAM = "sgp";

export function defaultIO(): CommandIO {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, baseDir: installDir() };
}

const line = (w: NodeJS.WritableStream, text = "") => w.write(`${text}\n`);

/** The command `argv` names (longest match of its leading words), and the rest of the arguments. */
function resolve(argv: string[], defs: readonly AnyCommandDef[]): { def: AnyCommandDef; rest: string[] } | { error: string } {
  if (argv.length === 0 || argv[0].startsWith("-")) return { def: defs.find((d) => d.name === "serve")!, rest: argv };
  let best: AnyCommandDef | null = null;
  for (const def of defs) {
    const words = def.name.split(" ");
    if (words.every((w, i) => argv[i] === w) && (!best || words.length > best.name.split(" ").length)) best = def;
  }
  if (best) return { def: best, rest: argv.slice(best.name.split(" ").length) };
  const group = defs.filter((d) => d.name.startsWith(`${argv[0]} `) && !d.hidden);
  if (group.length) {
    const subs = group.map((d) => d.name.split(" ").slice(1).join(" ")).join(", ");
    return { error: `${PROGRAM} ${argv[0]}: subcomando ${argv[1] ? `desconhecido "${argv[1]}"` : "ausente"} (use: ${subs})` };
  }
  return { error: `${PROGRAM}: comando desconhecido "${argv[0]}" (veja ${PROGRAM} --help)` };
}

export function helpText(defs: readonly AnyCommandDef[], baseDir = installDir()): string {
  const visible = defs.filter((d) => !d.hidden);
  const width = Math.max(...visible.map((d) => d.usage.length), 20) + 2;
  return [
    `SGP ${packageVersion()}: servidor do Sistema de Gestão de Produção`,
    "",
    `Uso: ${PROGRAM} [comando] [opções]          sem comando: serve`,
    "     node sgp.mjs …  (instalado)   |   npm run sgp -- …  (código-fonte)",
    "",
    "Comandos:",
    ...visible.map((d) => `  ${d.usage.padEnd(width)}${d.summary}`),
    `  ${"help [comando]".padEnd(width)}esta ajuda, ou a de um comando`,
    `  ${"--version".padEnd(width)}mostra a versão`,
    "",
    `Configuração: variáveis de ambiente ou ${join(baseDir, ".env")}`,
    "(caminhos relativos valem a partir dessa pasta). Detalhes: README.md.",
  ].join("\n");
}

export function commandHelp(def: AnyCommandDef): string {
  const opts = Object.entries(def.options ?? {}) as [string, { type: string; short?: string }][];
  const flag = ([name, o]: [string, { type: string; short?: string }]) =>
    `${o.short ? `-${o.short}, ` : ""}--${name}${o.type === "string" ? " <valor>" : ""}`;
  const width = Math.max(...opts.map((o) => flag(o).length), 10) + 2;
  return [
    `Uso: ${PROGRAM} ${def.usage}`,
    "",
    def.summary,
    ...(def.description ? ["", def.description] : []),
    ...(opts.length ? ["", "Opções:", ...opts.map((o) => `  ${flag(o).padEnd(width)}${def.optionHelp?.[o[0]] ?? ""}`)] : []),
    `  ${"-h, --help".padEnd(Math.max(width, 12))}esta ajuda`,
  ].join("\n");
}

/** An error's one line for the operator, and the exit code it means. */
function describe(err: unknown, name: string): { text: string; code: number } {
  if (err instanceof CliError) return { text: err.message, code: err.code };
  if (err instanceof ConfigError) return { text: err.message, code: 2 };
  if (err instanceof StartupError || err instanceof NewerDatabaseError) return { text: err.message, code: 1 };
  if (err instanceof AppError) return { text: `${PROGRAM} ${name}: ${typeof err.detail === "string" ? err.detail : err.message}`, code: 1 };
  return { text: `${PROGRAM} ${name}: ${err instanceof Error ? err.message : String(err)}`, code: 1 };
}

/**
 * Runs one command line. Returns the exit code, or `"running"` when the command keeps the process alive.
 * @example await runCli(["backup", "--out", "copia.db"]) // 0
 */
export async function runCli(
  argv: string[],
  io: CommandIO = defaultIO(),
  defs: readonly AnyCommandDef[] = registered,
): Promise<CommandResult> {
  const first = argv[0];
  if (first === "--version" || first === "-v" || first === "version") {
    line(io.stdout, packageVersion());
    return 0;
  }
  if (first === "--help" || first === "-h" || first === "help") {
    const rest = argv.slice(1);
    if (rest.length === 0) {
      line(io.stdout, helpText(defs, io.baseDir));
      return 0;
    }
    const found = resolve(rest, defs);
    if ("error" in found) {
      line(io.stderr, found.error);
      return 2;
    }
    line(io.stdout, commandHelp(found.def));
    return 0;
  }
  const found = resolve(argv, defs);
  if ("error" in found) {
    line(io.stderr, found.error);
    return 2;
  }
  const { def, rest } = found;
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...(def.options ?? {}), help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: true,
    }) as typeof parsed;
  } catch (err) {
    const msg = (err as Error).message
      .replace(/\. To specify a positional argument.*$/s, "")
      .replace(/^Unknown option '([^']+)'.*/s, `opção desconhecida "$1"`);
    line(io.stderr, `${PROGRAM} ${def.name}: ${msg} (veja ${PROGRAM} ${def.name} --help)`);
    return 2;
  }
  if (parsed.values.help) {
    line(io.stdout, commandHelp(def));
    return 0;
  }
  const { min, max } = def.positionals ?? { min: 0, max: 0 };
  if (parsed.positionals.length < min || parsed.positionals.length > max) {
    const why = parsed.positionals.length < min ? "faltam argumentos" : `argumento a mais "${parsed.positionals[max]}"`;
    line(io.stderr, `${PROGRAM} ${def.name}: ${why} (uso: ${PROGRAM} ${def.usage})`);
    return 2;
  }
  let config: Config | null = null;
  let logger: Logger | null = null;
  const ctx: CommandCtx = {
    values: parsed.values,
    positionals: parsed.positionals,
    io,
    print: (text = "") => line(io.stdout, text),
    warn: (text) => line(io.stderr, text),
    config(overrides) {
      if (overrides) return loadConfig({ ...io.env, ...overrides }, io.baseDir);
      return (config ??= loadConfig(io.env, io.baseDir));
    },
    logger() {
      // note: stderr, so a command's own output on stdout stays clean to read or pipe.
      const verbose = ["debug", "trace"].includes(String(io.env.LOG_LEVEL ?? "").toLowerCase());
      return (logger ??= createLogger(verbose ? String(io.env.LOG_LEVEL).toLowerCase() : "warn", {
        destination: io.stderr,
        pretty: (io.stderr as { isTTY?: boolean }).isTTY === true,
      }));
    },
  };
  try {
    return await def.run(ctx);
  } catch (err) {
    const { text, code } = describe(err, def.name);
    line(io.stderr, text);
    return code;
  }
}
