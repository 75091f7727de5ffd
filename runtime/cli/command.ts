// The CLI's building block: one file per command under runtime/cli/commands/, each `export default
// defineCommand({...})`. scripts/gen-functions.mjs lists them in runtime/cli/commands.gen.ts, so adding a command is
// adding its file. A command parses nothing itself (util.parseArgs does, from `options`) and holds no rule: it
// calls lib/ and prints.
import type { Readable, Writable } from "node:stream";
import type { Config } from "../../lib/config.ts";
import type { Logger } from "../../lib/log.ts";

type OptionSpec = { type: "string" | "boolean"; short?: string; multiple?: false; default?: string | boolean };
export type Options = Record<string, OptionSpec>;
export type Values<O extends Options> = { [K in keyof O]?: O[K]["type"] extends "string" ? string : boolean };

/** Where a command reads and writes, and the environment it configures from (tests run commands in-process). */
export interface CommandIO {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable & { isTTY?: boolean; setRawMode?(mode: boolean): unknown };
  env: NodeJS.ProcessEnv;
  /** The install folder (lib/ops/install.ts): where `.env` is read and relative settings resolve. */
  baseDir: string;
}

export interface CommandCtx<V = Record<string, string | boolean | undefined>> {
  values: V;
  positionals: string[];
  io: CommandIO;
  /** A line on stdout. */
  print(line?: string): void;
  /** A line on stderr. */
  warn(line: string): void;
  /** The validated configuration (loaded on first use: `--help` and `--version` never load it). */
  config(overrides?: Record<string, string>): Config;
  /** A logger on stderr for what lib/ writes while a command runs (warnings and errors by default). */
  logger(): Logger;
}

/** What `run` returns: an exit code, or `"running"` for a command that keeps the process alive (`serve`). */
export type CommandResult = number | "running";

export interface CommandDef<O extends Options = Options> {
  /** One or more words: `backup`, `admin reset-password`, `sync backfill`. */
  name: string;
  /** One line for `sgp --help`. */
  summary: string;
  /** `admin reset-password <usuário> [--password-stdin]`. */
  usage: string;
  /** A few lines for `sgp <command> --help`. */
  description?: string;
  options?: O;
  /** One line per option for `--help`. */
  optionHelp?: { [K in keyof O]?: string };
  /** How many positional arguments (default none). */
  positionals?: { min: number; max: number; names?: string };
  /** Internal (the server's own child processes): runnable, never listed. */
  hidden?: boolean;
  run(ctx: CommandCtx<Values<O>>): CommandResult | Promise<CommandResult>;
}

/** Declares a command. An identity function: it only pins the types. */
export function defineCommand<O extends Options = Record<never, OptionSpec>>(def: CommandDef<O>): CommandDef<O> {
  return def;
}

/** A failure with its exit code (2: the command line is wrong; 1: the command could not do its work). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code = 1,
  ) {
    super(message);
    this.name = "CliError";
  }
}

// The registry holds commands of many option shapes.
// biome-ignore lint/suspicious/noExplicitAny: a registry of commands of every option shape
export type AnyCommandDef = CommandDef<any>;
