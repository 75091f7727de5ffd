// Shared by the benches: the smoke switch, medians, the machine's load, and markdown tables that `npm run bench`
// (bench/run.ts) copies into BENCHMARKS.md. A bench prints its tables with `table()`; everything else it prints
// is commentary for the console.
import { cpus, loadavg } from "node:os";

/**
 * `BENCH_SMOKE=1`: tiny sizes and a few seconds per bench (the test suite runs every bench this way, so none can
 * rot); the figures are printed but mean nothing.
 */
export const SMOKE = process.env.BENCH_SMOKE === "1";

/** `full` normally, `smoke` under BENCH_SMOKE (an environment variable, when set, wins over both). */
export function size(name: string, full: number, smoke: number): number {
  const env = process.env[name];
  return env !== undefined && env !== "" ? Number(env) : SMOKE ? smoke : full;
}

export const median = (xs: readonly number[]): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export const percentile = (xs: readonly number[], p: number): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

/** "load 1.9 / 2.3 / 2.0 on 2 cores" (1, 5 and 15-minute load averages): the context every figure needs. */
export function load(): string {
  const [a, b, c] = loadavg();
  return `load ${a.toFixed(1)} / ${b.toFixed(1)} / ${c.toFixed(1)} on ${cpus().length} cores`;
}

/** Prints a markdown table under a `#### title` line (what bench/run.ts copies into BENCHMARKS.md). */
export function table(title: string, header: readonly string[], rows: readonly (readonly (string | number)[])[]): void {
  const lines = [`#### ${title}`, "", `| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`];
  for (const r of rows) lines.push(`| ${r.join(" | ")} |`);
  console.log(`\n${lines.join("\n")}\n`);
}

export const ms = (x: number, digits = 1): string => (Number.isFinite(x) ? `${x.toFixed(digits)} ms` : "—");
