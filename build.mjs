// Bundles the server and its CLI into dist/sgp.mjs plus the libsql native binary beside it (dist/libsql.node), with
// the Windows service files (deploy/windows/) and .env.example: dist/ is a complete install folder.
// `node dist/sgp.mjs [command]` then runs without node_modules. `node build.mjs --functions` also bundles each handler
// on its own under dist/functions/ (for hosts that run one handler per unit).
// The production board's page (web/painel/) is bundled first and embedded in the server bundle (lib/painel/assets.ts),
// and so is Swagger UI (swagger-ui-dist) for the API explorer at /docs (lib/docs/assets.ts).
import { build } from "esbuild";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { generate, generateCommands } from "./scripts/gen-functions.mjs";
import { buildPainel } from "./scripts/build-painel.mjs";
import { writeFileSync } from "node:fs";

const require = createRequire(import.meta.url);
// Written only when changed: tests build while other processes import these files.
const writeIfChanged = (file, text) => (existsSync(file) && readFileSync(file, "utf8") === text ? undefined : writeFileSync(file, text));
// One version everywhere (`--version`, /health, /openapi.json): package.json's, baked into the bundle.
const { version } = JSON.parse(await readFile(new URL("./package.json", import.meta.url), "utf8"));

/** The @libsql native package for this machine (build on the platform you deploy to). */
function nativeBinary() {
  const { familySync, GLIBC } = require("detect-libc");
  const candidates =
    process.platform === "linux"
      ? [`linux-${process.arch}-${familySync() === GLIBC ? "gnu" : "musl"}`]
      : process.platform === "win32"
        ? [`win32-${process.arch}-msvc`]
        : [`${process.platform}-${process.arch}`];
  for (const c of candidates) {
    try {
      return require.resolve(`@libsql/${c}/index.node`);
    } catch {
      // try the next
    }
  }
  throw new Error(`no libsql native binary for ${candidates.join(", ")} in node_modules`);
}

// libsql picks its binary with require(`@libsql/${target}`); in the bundle it loads the copy beside sgp.mjs.
const patchLibsql = {
  name: "patch-libsql-native",
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]libsql[\\/]index\.js$/ }, async (args) => {
      const src = await readFile(args.path, "utf8");
      const out = src.replace(
        /function requireNative\(\) \{[\s\S]*?\n\}\n/,
        "function requireNative() {\n  return require(process.env.LIBSQL_NATIVE_PATH || './libsql.node');\n}\n",
      );
      if (out === src) throw new Error("libsql's requireNative() changed shape: update build.mjs");
      return { contents: out, loader: "js" };
    });
  },
};

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: false,
  legalComments: "none",
  // Bundled CommonJS (libsql, ws inside crossws, pino) calls require(); give ESM one.
  banner: { js: "import { createRequire as __sgpCreateRequire } from 'node:module'; const require = __sgpCreateRequire(import.meta.url);" },
  plugins: [patchLibsql],
  define: { __SGP_VERSION__: JSON.stringify(version) },
  logLevel: "warning",
};

/**
 * Writes `<outdir>/sgp.mjs` and `<outdir>/libsql.node` (`outdir` is emptied first), the Windows service files and
 * `.env.example` (the output folder is the install folder); with `functions`, each handler too. Exported so that a
 * test can build into a temp folder without touching dist/.
 */
export async function buildServer({ outdir = "dist", functions = false } = {}) {
  writeIfChanged("runtime/functions.gen.ts", generate());
  writeIfChanged("runtime/cli/commands.gen.ts", generateCommands());
  // The board's script and stylesheet, inlined: the deployable stays one file that never reads web/ or the network.
  const painel = await buildPainel();
  // Swagger UI's script and stylesheet, as the package ships them: /docs then needs neither node_modules nor a CDN.
  const [swaggerJs, swaggerCss] = await Promise.all(
    ["swagger-ui-dist/swagger-ui-bundle.js", "swagger-ui-dist/swagger-ui.css"].map((f) => readFile(require.resolve(f), "utf8")),
  );
  const withPainel = {
    ...common,
    define: {
      ...common.define,
      SGP_PAINEL_SCRIPT: JSON.stringify(painel.script),
      SGP_PAINEL_STYLE: JSON.stringify(painel.style),
      SGP_PAINEL_VERSION: JSON.stringify(painel.version),
      SGP_SWAGGER_UI_JS: JSON.stringify(swaggerJs),
      SGP_SWAGGER_UI_CSS: JSON.stringify(swaggerCss),
    },
  };
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  await build({ ...withPainel, entryPoints: ["runtime/main.ts"], outfile: join(outdir, "sgp.mjs") });
  copyFileSync(nativeBinary(), join(outdir, "libsql.node"));
  for (const f of readdirSync("deploy/windows")) copyFileSync(join("deploy/windows", f), join(outdir, f));
  copyFileSync(".env.example", join(outdir, ".env.example"));
  if (functions) {
    const walk = (d) =>
      readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : n.endsWith(".ts") ? [join(d, n)] : []));
    const entries = walk("functions");
    await build({ ...withPainel, entryPoints: entries, outdir: join(outdir, "functions"), outbase: "functions", external: ["libsql"] });
    console.log(`bundled ${entries.length} handlers under ${outdir}/functions/`);
  }
  return { painelVersion: painel.version };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // `--outdir DIR` builds somewhere else than dist/ (tests build their own copy, so two never race on one folder).
  const flag = process.argv.indexOf("--outdir");
  const outdir = flag > 0 ? process.argv[flag + 1] : "dist";
  await buildServer({ outdir, functions: process.argv.includes("--functions") });
  const kb = (f) => Math.round(statSync(join(outdir, f)).size / 1024);
  console.log(`${outdir}/sgp.mjs ${kb("sgp.mjs")} KiB + ${outdir}/libsql.node ${kb("libsql.node")} KiB`);
}
