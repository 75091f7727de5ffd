// The mirror's thumbnails: jimp in a worker thread (never on the main thread), 300×300 at most, JPEG q60, on white;
// what it refuses; and that it works from a bundle with no node_modules (the server ships as one file).
import { afterAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { Jimp } from "jimp";
import { createThumbnailer, imageDimensions, MAX_THUMBNAIL_BASE64, ThumbnailError } from "../lib/sync/thumbnails.ts";
import { makeGif, makeJpeg, makePng, makeWebp } from "./helpers/images.ts";

const dir = mkdtempSync(join(tmpdir(), "sgp-thumbs-"));
const file = (name: string, bytes: Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
};
const thumbs = createThumbnailer({ timeoutMs: 60_000 });
afterAll(async () => {
  await thumbs.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("thumbnails", () => {
  it("fit 300×300 keeping the aspect, never enlarge, and are JPEG", async () => {
    const wide = await thumbs.thumbnail(file("wide.png", makePng(1500, 500)));
    expect([wide.width, wide.height]).toEqual([300, 100]);
    expect(imageDimensions(Buffer.from(wide.base64, "base64"))).toEqual({ width: 300, height: 100, type: "jpeg" });
    const tall = await thumbs.thumbnail(file("tall.png", makePng(200, 900)));
    expect([tall.width, tall.height]).toEqual([67, 300]);
    const small = await thumbs.thumbnail(file("small.jpg", makeJpeg()));
    expect(imageDimensions(makeJpeg())).toMatchObject({ type: "jpeg" });
    expect([small.width, small.height]).toEqual([imageDimensions(makeJpeg())!.width, imageDimensions(makeJpeg())!.height]);
    const gif = await thumbs.thumbnail(file("one.gif", makeGif()));
    expect([gif.width, gif.height]).toEqual([1, 1]);
    expect(wide.base64.length).toBeLessThanOrEqual(MAX_THUMBNAIL_BASE64);
  });

  it("put transparent pixels on white", async () => {
    const clear = await new Jimp({ width: 40, height: 40, color: 0x00000000 }).getBuffer("image/png");
    const t = await thumbs.thumbnail(file("clear.png", clear));
    const back = await Jimp.fromBuffer(Buffer.from(t.base64, "base64"));
    const { r, g, b } = { r: back.bitmap.data[0], g: back.bitmap.data[1], b: back.bitmap.data[2] };
    expect(Math.min(r, g, b)).toBeGreaterThan(240);
  });

  it("refuse what they cannot or should not decode, saying why", async () => {
    await expect(thumbs.thumbnail(file("a.webp", makeWebp()))).rejects.toThrow(/formato sem suporte/);
    // A header claiming 20000×20000: refused before any pixel is decoded.
    const huge = makePng(2, 2);
    huge.writeUInt32BE(20_000, 16);
    huge.writeUInt32BE(20_000, 20);
    await expect(thumbs.thumbnail(file("huge.png", huge))).rejects.toThrow(/grande demais/);
    await expect(thumbs.thumbnail(file("broken.png", makePng(50, 50).subarray(0, 60)))).rejects.toBeInstanceOf(ThumbnailError);
    const missing = await thumbs.thumbnail(join(dir, "nope.png")).catch((e) => e);
    expect(missing).toBeInstanceOf(ThumbnailError);
    expect(missing.missing).toBe(true);
    // The thread is still there for the next image.
    expect((await thumbs.thumbnail(file("after.png", makePng(10, 10)))).width).toBe(10);
  });

  it("work from a single-file bundle without node_modules (the thread runs the bundle itself)", async () => {
    const out = mkdtempSync(join(tmpdir(), "sgp-thumbs-bundle-"));
    try {
      const entry = join(out, "entry.ts");
      writeFileSync(
        entry,
        `import { isMainThread } from "node:worker_threads";
import { createThumbnailer } from ${JSON.stringify(resolve("lib/sync/thumbnails.ts"))};
// Like runtime/main.ts: the program runs on the main thread only; the thread only serves thumbnails.
if (isMainThread) {
  const t = createThumbnailer();
  const r = await t.thumbnail(process.argv[2]);
  console.log(JSON.stringify({ width: r.width, height: r.height, bytes: Buffer.from(r.base64, "base64").length }));
  await t.close();
}
`,
      );
      await build({
        entryPoints: [entry],
        outfile: join(out, "app.mjs"),
        bundle: true,
        platform: "node",
        target: "node20",
        format: "esm",
        logLevel: "silent",
        banner: {
          js: "import { createRequire as __sgpCreateRequire } from 'node:module'; const require = __sgpCreateRequire(import.meta.url);",
        },
      });
      const run = mkdtempSync(join(tmpdir(), "sgp-thumbs-run-"));
      try {
        copyFileSync(join(out, "app.mjs"), join(run, "app.mjs"));
        const img = join(run, "in.png");
        writeFileSync(img, makePng(600, 400));
        const r = spawnSync(process.execPath, ["app.mjs", img], {
          cwd: run,
          encoding: "utf8",
          env: { PATH: process.env.PATH },
          timeout: 60_000,
        });
        expect(r.stderr).toBe("");
        expect(JSON.parse(r.stdout.trim())).toMatchObject({ width: 300, height: 200 });
      } finally {
        rmSync(run, { recursive: true, force: true });
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
