// `npm test`: regenerates the route table, runs vitest, and ends with the plain line CI reads:
// `N passed, N failed`. Extra arguments go to vitest (a file name, `-t pattern`).
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";

spawnSync(process.execPath, ["scripts/gen-functions.mjs"], { stdio: "inherit" });
mkdirSync("tmp", { recursive: true });
rmSync("tmp/vitest.json", { force: true });
const r = spawnSync(
  process.execPath,
  [
    "node_modules/vitest/vitest.mjs",
    "run",
    "--reporter=default",
    "--reporter=json",
    "--outputFile.json=tmp/vitest.json",
    ...process.argv.slice(2),
  ],
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
console.log(`${passed} passed, ${failed} failed`);
process.exit(r.status ?? 1);
