// A server in its own process for a bench: the load generator's CPU is then not the server's, and the server's
// CPU time and RSS can be read from outside (Linux /proc; elsewhere from the child itself over IPC).
import { fork, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export interface BenchServer {
  url: string;
  token: string;
  pid: number;
  /** The server process's CPU time so far (user + system, all threads), in ms. */
  cpuMs(): Promise<number>;
  /** The server process's resident memory, in bytes. */
  rss(): Promise<number>;
  stop(): Promise<void>;
}

const ENTRY = fileURLToPath(new URL("./server-entry.ts", import.meta.url));
const TICK_MS = 10; // USER_HZ is 100 on every Linux we run on

function procCpuMs(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return null;
  }
}

function procRss(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Starts the real server (runtime/server.ts) in a child process on `database` (a file seeded beforehand, or a
 * fresh one), with `env` on top of the bench defaults. `workers` > 1 runs the `--workers` mode.
 */
export async function startBenchServer(
  opts: { database?: string; env?: Record<string, string>; workers?: number; execArgv?: string[] } = {},
): Promise<BenchServer> {
  const dir = mkdtempSync(join(tmpdir(), "sgp-bench-"));
  const child: ChildProcess = fork(ENTRY, [], {
    execArgv: ["--import", "tsx", ...(opts.execArgv ?? [])],
    env: {
      ...process.env,
      BENCH_DIR: dir,
      BENCH_DB: opts.database ?? join(dir, "sgp.db"),
      BENCH_WORKERS: String(opts.workers ?? 1),
      BENCH_ENV: JSON.stringify(opts.env ?? {}),
    },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ready = await new Promise<{ url: string; token: string; pid: number }>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`bench server exited with ${code}`)));
    child.on("message", (m: { cmd?: string }) => {
      if (m.cmd === "ready") resolve(m as never);
    });
  });
  const ask = <T>(cmd: string) =>
    new Promise<T>((resolve) => {
      const on = (m: { cmd?: string }) => {
        if (m.cmd === cmd) {
          child.off("message", on);
          resolve(m as T);
        }
      };
      child.on("message", on);
      child.send({ cmd });
    });
  const onProc = existsSync(`/proc/${ready.pid}/stat`);
  return {
    ...ready,
    cpuMs: async () => (onProc ? procCpuMs(ready.pid) : null) ?? (await ask<{ ms: number }>("cpu")).ms,
    rss: async () => (onProc ? procRss(ready.pid) : null) ?? (await ask<{ rss: number }>("rss")).rss,
    async stop() {
      const exited = new Promise((r) => child.once("exit", r));
      child.send({ cmd: "stop" });
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
