// The board inside the deployable: build.mjs embeds the page's script and stylesheet in sgp.mjs, which serves
// them from a folder holding only its two files (no web/, no node_modules, no esbuild).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

let dir: string;
let child: ChildProcess;
let base = "";
let output = "";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sgp-painel-bundle-"));
  // Into a temp folder, not dist/ (bundle.test.ts builds there at the same time).
  const build = spawnSync(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      `const { buildServer } = await import("./build.mjs"); await buildServer({ outdir: ${JSON.stringify(dir)} });`,
    ],
    { encoding: "utf8" },
  );
  expect(build.status, build.stderr).toBe(0);
  child = spawn(process.execPath, ["sgp.mjs"], {
    cwd: dir,
    env: { PATH: process.env.PATH, PORT: "0", HOST: "127.0.0.1", SGP_ADMIN_USER: "chefe", SGP_ADMIN_PASSWORD: "senha-do-chefe" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stderr!.on("data", (d) => (output += d));
  base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bundle did not start:\n${output}`)), 15_000);
    child.stdout!.on("data", (d: Buffer) => {
      output += d;
      const m = /"port":(\d+)[^\n]*SGP listening/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${m[1]}`);
      }
    });
    child.once("exit", (code) => reject(new Error(`bundle exited ${code}:\n${output}`)));
  });
});

afterAll(() => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the board in the single-file bundle", () => {
  it("serves the page, its script and its stylesheet from sgp.mjs itself", async () => {
    // The install folder: the server, its native driver, and the service/settings templates; no page assets beside them.
    const files = readdirSync(dir).filter((f) => !["data", "media"].includes(f));
    expect(files).toEqual(expect.arrayContaining(["libsql.node", "sgp.mjs"]));
    expect(files.filter((f) => /\.(js|mjs|css|html)$/.test(f) && f !== "sgp.mjs")).toEqual([]);
    const page = await fetch(`${base}/painel`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await page.text();
    const version = /\/painel\/painel\.js\?v=([0-9a-f]{16})/.exec(html)?.[1];
    expect(version, html).toBeDefined();
    expect(html).toContain(`/painel/painel.css?v=${version}`);

    const js = await fetch(`${base}/painel/painel.js?v=${version}`);
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(js.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const script = await js.text();
    expect(script).toContain("sgp-painel:sessao");
    expect(script).toContain("/ws/orders");
    const css = await fetch(`${base}/painel/painel.css`);
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect(css.headers.get("cache-control")).toBe("no-cache"); // without the current version: revalidated
    expect(await css.text()).toContain(".cartoes");
    const again = await fetch(`${base}/painel/painel.css`, { headers: { "if-none-match": css.headers.get("etag")! } });
    expect(again.status).toBe(304);
  });
});
