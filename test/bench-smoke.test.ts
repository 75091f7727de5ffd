// Benchmarks that cannot rot: every bench/*.ts runs here at a tiny size (BENCH_SMOKE=1: a few seconds each) and
// must finish cleanly and print its figures as a markdown table (what `npm run bench` copies into BENCHMARKS.md).
// The figures of a smoke run mean nothing and are not checked; only that the bench still works.
import { describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { BENCH_DIR, benchFiles, tablesOf } from "../bench/lib/discover.ts";

function run(file: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(BENCH_DIR, file)], {
      env: { ...process.env, BENCH_SMOKE: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c));
    child.stderr.on("data", (c: Buffer) => (stderr += c));
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const files = benchFiles();

describe("every benchmark runs (BENCH_SMOKE=1)", () => {
  it("finds the benches", () => {
    expect(files).toEqual(expect.arrayContaining(["orders.ts", "ws-fanout.ts"]));
  });

  for (const file of files) {
    it(`bench/${file} completes and prints its table`, async () => {
      const r = await run(file);
      expect(r.code, `${file} exit code; stderr:\n${r.stderr.slice(-2000)}`).toBe(0);
      const tables = tablesOf(r.stdout);
      expect(tables, `${file} printed no markdown table`).toMatch(/^\|.*\|$/m);
      expect(tables).toMatch(/^\|(-+\|)+$/m);
    }, 150_000);
  }
});
