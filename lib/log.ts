import pino from "pino";
import pretty from "pino-pretty";
import pinoRoll from "pino-roll";
import { Writable } from "node:stream";

/**
 * The process logger (pino): JSON lines on stdout, or human-readable lines when stdout is a terminal.
 * Request-scoped children carry `rid`, the id also sent back as `X-Request-Id`.
 * note: every destination is an in-process stream, never a worker transport, so the one-file bundle keeps working.
 */
export type Logger = pino.Logger;

export interface LoggerOptions {
  /** pino-pretty on stdout (colours, local times). Default: when stdout is a terminal. */
  pretty?: boolean;
  /** Where the stdout lines go (tests capture them); default: the process's stdout. */
  destination?: NodeJS.WritableStream;
}

const base = { app: "sgp" };

function stdoutStream(opts: LoggerOptions): NodeJS.WritableStream | pino.DestinationStream {
  const usePretty = opts.pretty ?? (!opts.destination && process.stdout.isTTY === true);
  if (usePretty) {
    return pretty({
      colorize: true,
      sync: true,
      translateTime: "SYS:yyyy-mm-dd HH:MM:ss.l",
      ignore: "pid,hostname,app",
      destination: opts.destination ?? 1,
    });
  }
  return opts.destination ?? pino.destination({ dest: 1, sync: true });
}

/** A logger on stdout only (tests, CLI commands, the server without `LOG_FILE`). */
export function createLogger(level = "info", opts: LoggerOptions = {}): Logger {
  return pino({ level, base, timestamp: pino.stdTimeFunctions.isoTime }, stdoutStream(opts) as pino.DestinationStream);
}

/** The most severe of two pino levels (the stdout threshold when a log file takes everything). */
const severest = (a: string, b: string) => ((pino.levels.values[a] ?? 0) >= (pino.levels.values[b] ?? 0) ? a : b);

export interface ProcessLogger {
  log: Logger;
  /** Flushes and closes the log file (on shutdown). */
  close(): Promise<void>;
}

/**
 * The server's logger from its settings. With `LOG_FILE`, every line goes to that file as JSON (rotated daily and
 * at 10 MB, `LOG_FILE_KEEP` old files kept, pino-roll) and stdout keeps warnings and errors only, so a console or
 * a service wrapper still shows what needs attention without a second full copy of the log.
 */
export async function openLogger(
  settings: { logLevel: string; logFile: string | null; logFileKeep: number },
  opts: LoggerOptions = {},
): Promise<ProcessLogger> {
  if (!settings.logFile) return { log: createLogger(settings.logLevel, opts), close: async () => {} };
  const file = await pinoRoll({
    file: settings.logFile,
    size: "10m",
    frequency: "daily",
    mkdir: true,
    limit: { count: settings.logFileKeep },
  });
  const level = settings.logLevel;
  const streams: pino.StreamEntry[] = [{ level: level as pino.Level, stream: file }];
  if (level !== "silent")
    streams.push({ level: severest(level, "warn") as pino.Level, stream: stdoutStream(opts) as pino.DestinationStream });
  const log = pino({ level, base, timestamp: pino.stdTimeFunctions.isoTime }, pino.multistream(streams));
  return {
    log,
    // note: sonic-boom opens the file asynchronously; `end()` waits for that, writes what is buffered, then closes.
    close: () =>
      new Promise<void>((done) => {
        const timer = setTimeout(done, 5_000);
        file.once("close", () => {
          clearTimeout(timer);
          done();
        });
        file.end();
      }),
  };
}

/** A Writable that keeps every line written to it (tests read a logger's output through it). */
export function memoryDestination(): Writable & { lines: string[] } {
  const lines: string[] = [];
  const w = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split("\n")) if (line) lines.push(line);
      cb();
    },
  }) as Writable & { lines: string[] };
  w.lines = lines;
  return w;
}
