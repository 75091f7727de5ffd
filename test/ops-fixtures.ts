// Shared by the operations tests (test/ops-*.test.ts, test/cli-*.test.ts): running the real CLI in a child
// process, a hermetic environment for it, and a private build of the bundle.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PassThrough } from "node:stream";
import { runCli } from "../runtime/cli/index.ts";

export const REPO = resolve(import.meta.dirname, "..");
export const SECRET = "ops-test-secret-key-with-enough-length-0123456789";

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `sgp <args>` as the operator would (a separate process), from the source tree, or from a bundle when
 * `bundle` is its `sgp.mjs`. Asynchronous: a server in the test process keeps serving meanwhile.
 */
export function runSgp(
  args: string[],
  opts: {
    env?: Record<string, string | undefined>;
    cwd?: string;
    input?: string;
    timeoutMs?: number;
    bundle?: string;
    uid?: number;
    gid?: number;
  } = {},
): Promise<CliRun> {
  const argv = opts.bundle
    ? [opts.bundle, ...args]
    : ["--import", join(REPO, "node_modules/tsx/dist/esm/index.mjs"), join(REPO, "runtime/main.ts"), ...args];
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, argv, {
      cwd: opts.cwd ?? tmpdir(),
      env: { PATH: process.env.PATH, ...opts.env } as NodeJS.ProcessEnv,
      stdio: ["pipe", "pipe", "pipe"],
      ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.gid ?? opts.uid } : {}),
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      fail(new Error(`sgp ${args.join(" ")} did not finish in ${opts.timeoutMs ?? 60_000} ms\n${stdout}\n${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    child.once("close", (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
    child.stdin.end(opts.input ?? "");
  });
}

/** Every setting the CLI would otherwise take from the repository's own `.env` or defaults, pointed at `dir`. */
export function envFor(dir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: "test",
    DATA_DIR: dir,
    DATABASE_URL: `file:${join(dir, "sgp.db")}`,
    MEDIA_ROOT: join(dir, "media"),
    BACKUP_DIR: join(dir, "backups"),
    SECRET_KEY: SECRET,
    LOG_LEVEL: "warn",
    ...extra,
  };
}

export const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), `sgp-${prefix}-`));

/** Builds the bundle into a folder of its own (never dist/, which other tests build into). */
export function buildBundle(): string {
  const out = tempDir("build");
  const r = spawnSync(process.execPath, ["build.mjs", "--outdir", out], { cwd: REPO, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
  return out;
}

/**
 * Runs a command in this process: the same code path as the binary (runtime/cli), without a process start. For
 * checks that are not about the process boundary. `input` is stdin (not a terminal).
 */
export async function runSgpHere(args: string[], env: Record<string, string>, baseDir: string, input = ""): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (d) => (out += d));
  stderr.on("data", (d) => (err += d));
  const stdin = new PassThrough();
  stdin.end(input);
  const code = await runCli(args, { stdout, stderr, stdin, env, baseDir });
  return { code: code === "running" ? null : code, stdout: out, stderr: err };
}
