// Unit tests of lib/media: byte checks, data URLs, references, signatures, confinement, the tmp sweeper.
import { afterAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkImage } from "../lib/media/check-image.ts";
import { decodeDataUrl } from "../lib/media/data-url.ts";
import { cleanMediaPath, parseImageRef } from "../lib/media/refs.ts";
import { createUrlSigner } from "../lib/media/signing.ts";
import { openMediaStore } from "../lib/media/store.ts";
import { sweepTmp, DAY_MS } from "../lib/media/sweep.ts";
import { signImageRef } from "../lib/media/wire.ts";
import { AppError } from "../lib/errors.ts";
import { dataUrl, hostileFiles, makeGif, makeJpeg, makePng, makeWebp } from "./helpers/images.ts";

const MB = 1024 * 1024;
const statusOf = async (p: Promise<unknown> | (() => unknown)) => {
  try {
    await (typeof p === "function" ? p() : p);
    return 0;
  } catch (err) {
    if (err instanceof AppError) return err.status;
    throw err;
  }
};

describe("checkImage", () => {
  it.each([
    ["PNG", makePng(), "image/png", "png"],
    ["PNG 64×64 noise", makePng(64, 64, true), "image/png", "png"],
    ["JPEG", makeJpeg(), "image/jpeg", "jpg"],
    ["GIF", makeGif(), "image/gif", "gif"],
    ["WebP", makeWebp(), "image/webp", "webp"],
  ])("accepts a complete %s and names its type from the bytes", async (_n, bytes, mime, ext) => {
    expect(await checkImage(bytes, 10 * MB)).toEqual({ mime, ext, size: bytes.length });
  });

  it("tolerates zero padding after the end of the image", async () => {
    expect((await checkImage(Buffer.concat([makeJpeg(), Buffer.alloc(16)]), MB)).mime).toBe("image/jpeg");
  });

  for (const [name, bytes] of Object.entries(hostileFiles())) {
    it(`refuses ${name} with 400`, async () => {
      expect(await statusOf(checkImage(bytes, 10 * MB))).toBe(400);
    });
  }

  it("refuses an empty file with 400 and an oversized one with 413", async () => {
    expect(await statusOf(checkImage(new Uint8Array(0), MB))).toBe(400);
    expect(await statusOf(checkImage(makePng(64, 64, true), 1000))).toBe(413);
  });
});

describe("decodeDataUrl", () => {
  it("decodes base64 with whitespace inside", () => {
    const png = makePng();
    const b64 = png.toString("base64");
    const spaced = `data:image/png;base64,${b64.slice(0, 10)}\n ${b64.slice(10)}`;
    expect(Buffer.from(decodeDataUrl(spaced, MB)).equals(png)).toBe(true);
  });

  it.each([
    ["invalid characters", "data:image/png;base64,iVBOR*w0KGgo="],
    ["an invalid character at a valid length", "data:image/png;base64,iVBO*w0KGgo="],
    ["misplaced padding", "data:image/png;base64,iV=Rw0KGgoA"],
    ["bad length", "data:image/png;base64,iVBORw0KGgo"],
    ["not base64", "data:image/png,rawbytes"],
    ["not an image type", `data:text/html;base64,${Buffer.from("<b>x</b>").toString("base64")}`],
    ["no comma", "data:image/png;base64"],
    ["empty", "data:image/png;base64,"],
  ])("refuses %s with 400", async (_n, url) => {
    expect(await statusOf(() => decodeDataUrl(url, MB))).toBe(400);
  });

  it("refuses an oversized image with 413 before decoding", async () => {
    expect(await statusOf(() => decodeDataUrl(dataUrl(Buffer.alloc(2 * MB)), MB))).toBe(413);
  });
});

describe("parseImageRef", () => {
  it.each([
    [null, { kind: "none" }],
    ["  ", { kind: "none" }],
    ["/pedidos/imagens/12", { kind: "row", id: 12 }],
    ["/pedidos/imagens/12?exp=1&sig=abc", { kind: "row", id: 12 }],
    ["http://10.0.0.5:8000/pedidos/imagens/7?exp=1&sig=x", { kind: "row", id: 7 }],
    ["pedidos/tmp/ab.png", { kind: "tmp", path: "pedidos/tmp/ab.png" }],
    ["/pedidos/tmp/ab.png", { kind: "tmp", path: "pedidos/tmp/ab.png" }],
    ["/pedidos/media/pedidos/tmp/ab.png?exp=1&sig=2", { kind: "tmp", path: "pedidos/tmp/ab.png" }],
    ["pedidos/12/ab.jpg", { kind: "path", path: "pedidos/12/ab.jpg" }],
    ["pedidos/tmp/..", { kind: "foreign", value: "pedidos/tmp/.." }],
    ["/pedidos/media/pedidos/tmp/..%2f..%2fsecret", { kind: "foreign", value: "/pedidos/media/pedidos/tmp/..%2f..%2fsecret" }],
    ["C:\\fotos\\a.jpg", { kind: "foreign", value: "C:\\fotos\\a.jpg" }],
  ])("%j", (input, expected) => expect(parseImageRef(input)).toEqual(expected));

  it("data URLs", () => expect(parseImageRef(" data:image/png;base64,AAAA").kind).toBe("data"));

  it.each(["../x", "pedidos/../x", "/etc/passwd", "pedidos\\1\\a.png", "a//b", "a/./b", "C:/x", "a\0b", ""])(
    "cleanMediaPath refuses %j",
    (p) => expect(cleanMediaPath(p)).toBeNull(),
  );
});

describe("signed URLs", () => {
  const signer = createUrlSigner("secret-one");
  const now = Date.UTC(2026, 0, 1, 10, 30);

  it("verify accepts its own signature until it expires, with a stable URL within the hour", () => {
    const url = signer.sign("/pedidos/imagens/5", now);
    expect(signer.sign("/pedidos/imagens/5", now + 60_000)).toBe(url);
    const q = new URL(url, "http://x").searchParams;
    expect(signer.verify("/pedidos/imagens/5", q.get("exp")!, q.get("sig")!, now)).toBe(true);
    expect(Number(q.get("exp")) * 1000 - now).toBeGreaterThanOrEqual(12 * 3600 * 1000);
    expect(signer.verify("/pedidos/imagens/5", q.get("exp")!, q.get("sig")!, now + 14 * 3600 * 1000)).toBe(false);
  });

  it("refuses another path, a changed expiry, another key, garbage", () => {
    const q = new URL(signer.sign("/pedidos/imagens/5", now), "http://x").searchParams;
    const [exp, sig] = [q.get("exp")!, q.get("sig")!];
    expect(signer.verify("/pedidos/imagens/6", exp, sig, now)).toBe(false);
    expect(signer.verify("/pedidos/imagens/5", String(Number(exp) + 3600), sig, now)).toBe(false);
    expect(createUrlSigner("secret-two").verify("/pedidos/imagens/5", exp, sig, now)).toBe(false);
    expect(signer.verify("/pedidos/imagens/5", exp, sig.slice(0, -1) + (sig.endsWith("A") ? "B" : "A"), now)).toBe(false);
    expect(signer.verify("/pedidos/imagens/5", undefined, undefined, now)).toBe(false);
    expect(signer.verify("/pedidos/imagens/5", "abc", "%%%", now)).toBe(false);
  });

  it("signImageRef signs our references and leaves the rest", () => {
    expect(signImageRef(signer, "/pedidos/imagens/3")).toMatch(/^\/pedidos\/imagens\/3\?exp=\d+&sig=[\w-]{43}$/);
    expect(signImageRef(signer, "pedidos/tmp/a.png")).toMatch(/^\/pedidos\/media\/pedidos\/tmp\/a\.png\?exp=/);
    expect(signImageRef(signer, "https://example.com/x.png")).toBe("https://example.com/x.png");
    expect(signImageRef(signer, null)).toBeNull();
  });
});

describe("media store and sweeper", () => {
  const dir = mkdtempSync(join(tmpdir(), "sgp-media-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const root = join(dir, "media");
  mkdirSync(join(root, "pedidos", "tmp"), { recursive: true });
  const media = openMediaStore(root);

  it("realPathInside refuses a symlink that leads out of the root", async () => {
    writeFileSync(join(dir, "outside.png"), makePng());
    symlinkSync(join(dir, "outside.png"), join(root, "pedidos", "tmp", "link.png"));
    writeFileSync(join(root, "pedidos", "tmp", "inside.png"), makePng());
    expect(await media.realPathInside("pedidos/tmp/link.png")).toBeNull();
    expect(await media.realPathInside("pedidos/tmp/inside.png")).toMatch(/inside\.png$/);
    expect(await media.realPathInside("pedidos/tmp/missing.png")).toBeNull();
    expect(await media.realPathInside("../outside.png")).toBeNull();
  });

  it("sweepTmp removes tmp files older than the age and keeps fresh ones", async () => {
    const old = join(root, "pedidos", "tmp", "old.png");
    const fresh = join(root, "pedidos", "tmp", "fresh.png");
    writeFileSync(old, makePng());
    writeFileSync(fresh, makePng());
    const past = (Date.now() - 2 * DAY_MS) / 1000;
    utimesSync(old, past, past);
    const report = await sweepTmp({ media }, DAY_MS);
    expect(report.tmpRemoved).toBe(1);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    expect(existsSync(join(dir, "outside.png"))).toBe(true);
  });
});
