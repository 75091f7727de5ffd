// `npm run bench`: runs every benchmark in bench/ one after another (each starts and stops its own server).
// `npm run bench -- orders` runs only the files whose name contains "orders".
import { readdirSync } from "node:fs";
import { spawnSync } from "node:child_process";

const filter = process.argv[2] ?? "";
const files = readdirSync("bench")
  .filter((f) => f.endsWith(".ts") && f !== "run.ts" && !f.startsWith("_") && f.includes(filter))
  .sort();
for (const f of files) {
  console.log(`\n=== bench/${f} ===`);
  const r = spawnSync(process.execPath, ["--import", "tsx", `bench/${f}`], { stdio: "inherit" });
  if (r.status !== 0) console.log(`bench/${f} exited with ${r.status}`);
}
