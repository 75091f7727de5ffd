// Which files are benches: every `bench/*.ts` but the runner and `_`-prefixed helpers (helpers live in bench/lib/).
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const BENCH_DIR = fileURLToPath(new URL("..", import.meta.url));

export function benchFiles(filter = ""): string[] {
  return readdirSync(BENCH_DIR)
    .filter((f) => f.endsWith(".ts") && f !== "run.ts" && !f.startsWith("_") && f.includes(filter))
    .sort();
}

/** The `#### title` lines and markdown tables a bench printed (what BENCHMARKS.md quotes). */
export function tablesOf(stdout: string): string {
  const out: string[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    if (line.startsWith("#### ")) out.push("", line, "");
    else if (/^\|.*\|$/.test(line.trim())) out.push(line.trim());
  }
  return out.join("\n").trim();
}
