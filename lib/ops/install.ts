// Where SGP is installed and which version it is: the two facts every path and every report starts from.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

// Replaced by build.mjs (esbuild `define`) with package.json's version; absent when running from the source tree.
declare const __SGP_VERSION__: string | undefined;

const bundled = typeof __SGP_VERSION__ === "string";

/**
 * The install folder: where `sgp.mjs` lives in a build, the repository root in the source tree.
 * Relative settings (`DATA_DIR`, `MEDIA_ROOT`, …) resolve against it and its `.env` is the one read, so a service
 * started from another working directory (Windows starts services in System32) finds the same files.
 * note: in the bundle every module shares the one `import.meta.url` of `sgp.mjs`; in the source tree this file is
 * `lib/ops/install.ts`, two levels below the root.
 */
export function installDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return bundled ? here : resolve(here, "..", "..");
}

let cachedVersion: string | null = null;

/** package.json's `version`: baked into the bundle at build time, read from the repository otherwise. */
export function packageVersion(): string {
  if (bundled) return __SGP_VERSION__ as string;
  if (cachedVersion) return cachedVersion;
  const pkg = join(installDir(), "package.json");
  cachedVersion = existsSync(pkg) ? String(JSON.parse(readFileSync(pkg, "utf8")).version ?? "0.0.0") : "0.0.0";
  return cachedVersion;
}

/**
 * The command line that runs this same SGP's CLI in a child process (scheduled backups run in one, so the copy never
 * holds the server's event loop): `node sgp.mjs` in a build, `node --import tsx runtime/main.ts` in the source tree.
 * tsx is named by its resolved URL, so the child starts from any working directory.
 */
export function selfCommand(): { command: string; args: string[] } {
  const dir = installDir();
  return bundled
    ? { command: process.execPath, args: [fileURLToPath(import.meta.url)] }
    : { command: process.execPath, args: ["--import", import.meta.resolve("tsx"), join(dir, "runtime", "main.ts")] };
}
