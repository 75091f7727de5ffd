// Terminal helpers for commands: reading a password without echo, and progress that degrades to plain lines
// when the output is not a terminal (a service log, a pipe, a test).
import cliProgress from "cli-progress";
import type { CommandIO } from "./command.ts";
import { CliError } from "./command.ts";

const MAX_PASSWORD_INPUT = 4096;

/** The first line of stdin (`--password-stdin`): `echo "$SENHA" | sgp admin reset-password admin --password-stdin`. */
export async function passwordFromStdin(io: CommandIO): Promise<string> {
  let data = "";
  for await (const chunk of io.stdin) {
    data += chunk.toString();
    if (data.length > MAX_PASSWORD_INPUT || data.includes("\n")) break;
  }
  const first = data.split(/\r?\n/)[0] ?? "";
  if (!first) throw new CliError("nenhuma senha recebida na entrada padrão", 2);
  return first;
}

/** Asks on the terminal with the characters hidden. */
function ask(io: CommandIO, prompt: string): Promise<string> {
  const stdin = io.stdin;
  return new Promise((resolve, reject) => {
    io.stderr.write(prompt);
    let value = "";
    stdin.setRawMode?.(true);
    stdin.resume();
    const done = (err: Error | null) => {
      stdin.off("data", onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      io.stderr.write("\n");
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString("utf8")) {
        if (ch === "\r" || ch === "\n") return done(null);
        if (ch === "\u0003") return done(new CliError("cancelado", 1));
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else if (ch >= " " && value.length < MAX_PASSWORD_INPUT) value += ch;
      }
    };
    stdin.on("data", onData);
  });
}

/** `--password-stdin`, or a hidden prompt asked twice; without a terminal and without the flag: a usage error. */
export async function readNewPassword(io: CommandIO, fromStdin: boolean): Promise<string> {
  if (fromStdin) return passwordFromStdin(io);
  if (!io.stdin.isTTY) throw new CliError("sem terminal para perguntar a senha: use --password-stdin", 2);
  const first = await ask(io, "Nova senha: ");
  const again = await ask(io, "Repita a senha: ");
  if (first !== again) throw new CliError("as senhas não conferem", 1);
  return first;
}

export interface Progress {
  phase(name: string, total: number): void;
  tick(done: number): void;
  stop(): void;
}

/** A progress bar on a terminal (cli-progress), one line per phase otherwise. */
export function progressOn(io: CommandIO): Progress {
  const tty = (io.stderr as { isTTY?: boolean }).isTTY === true;
  if (!tty) {
    return {
      phase: (name, total) => void io.stderr.write(`… ${name}${total > 1 ? ` (${total})` : ""}\n`),
      tick() {},
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: "{phase} [{bar}] {value}/{total}", stream: io.stderr as NodeJS.WritableStream, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    phase(name, total) {
      if (started) bar.stop();
      bar.start(Math.max(1, total), 0, { phase: name.padEnd(44) });
      started = true;
    },
    tick: (done) => started && bar.update(done),
    stop: () => started && bar.stop(),
  };
}
