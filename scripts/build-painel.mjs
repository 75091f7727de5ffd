// Bundles the production board page (web/painel/) with esbuild, in memory: main.ts and its imports into one
// script, painel.css into one stylesheet, and a version (a hash of both) for cache busting.
// `build.mjs` embeds the result in dist/sgp.mjs; from the source tree (npm start, tests) lib/painel/assets.ts
// calls it on the first request. `node scripts/build-painel.mjs` prints the sizes.
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/** @returns {Promise<{ script: string; style: string; version: string }>} */
export async function buildPainel() {
  const common = {
    bundle: true,
    write: false,
    minify: true,
    legalComments: "none",
    logLevel: "silent",
    absWorkingDir: root,
    charset: "utf8",
  };
  // note: older targets than the server's: a shop-floor TV's browser can be years old. Syntax is lowered; no
  // API is polyfilled (the page uses fetch, WebSocket, <dialog> with a fallback).
  const browsers = ["chrome80", "firefox78", "safari15", "edge80"];
  const [js, css] = await Promise.all([
    build({
      ...common,
      entryPoints: [join(root, "web/painel/main.ts")],
      outfile: "painel.js",
      format: "iife",
      target: ["es2019", ...browsers],
    }),
    build({ ...common, entryPoints: [join(root, "web/painel/painel.css")], outfile: "painel.css", target: browsers }),
  ]);
  const script = js.outputFiles[0].text;
  const style = css.outputFiles[0].text;
  const version = createHash("sha256").update(script).update("\0").update(style).digest("hex").slice(0, 16);
  return { script, style, version };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const a = await buildPainel();
  console.log(
    `painel.js ${(a.script.length / 1024).toFixed(1)} KiB, painel.css ${(a.style.length / 1024).toFixed(1)} KiB, version ${a.version}`,
  );
}
