// `npm test`: installs the servers the suite needs when missing (scripts/test-env.mjs), regenerates the route table,
// checks lint and format (Biome; a finding counts as one failure), runs vitest, and ends with the plain line CI
// reads: `N passed, N failed`. Extra arguments go to vitest (a file name, `-t pattern`) and skip the lint.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { ensureTestEnv } from "./test-env.mjs";

const args = process.argv.slice(2);
mkdirSync("tmp", { recursive: true });
ensureTestEnv();
spawnSync(process.execPath, ["scripts/gen-functions.mjs"], { stdio: "inherit" });
const lintFailed =
  args.length === 0 &&
  spawnSync(process.execPath, ["node_modules/@biomejs/biome/bin/biome", "check", "."], { stdio: "inherit" }).status !== 0;
rmSync("tmp/vitest.json", { force: true });
const r = spawnSync(
  process.execPath,
  ["node_modules/vitest/vitest.mjs", "run", "--reporter=default", "--reporter=json", "--outputFile.json=tmp/vitest.json", ...args],
  { stdio: "inherit" },
);
let passed = 0;
let failed = 0;
try {
  const j = JSON.parse(readFileSync("tmp/vitest.json", "utf8"));
  passed = j.numPassedTests;
  // A file that fails before any test runs (an import error, a failing hook) counts as one failure.
  const brokenFiles = (j.testResults ?? []).filter(
    (f) => f.status === "failed" && !(f.assertionResults ?? []).some((a) => a.status === "failed"),
  ).length;
  failed = j.numFailedTests + brokenFiles;
} catch {
  failed = Math.max(1, failed);
}
if (r.status !== 0 && failed === 0) failed = 1;
if (lintFailed) {
  console.log("lint: `npm run lint` found problems (`npm run format` fixes the formatting)");
  failed += 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : (r.status ?? 1));
