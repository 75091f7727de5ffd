// Real, decodable image files built in code (no image tools on the test machines), and hostile variants of them.
import { crc32, deflateSync } from "node:zlib";
import { randomBytes } from "node:crypto";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** An RGB PNG of `w`×`h`; `noise` makes the pixels random (incompressible: the file is about w*h*3 bytes). */
export function makePng(w = 2, h = 2, noise = false): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows: Buffer[] = [];
  for (let y = 0; y < h; y++)
    rows.push(Buffer.concat([Buffer.from([0]), noise ? randomBytes(w * 3) : Buffer.alloc(w * 3, 0x80 + (y % 64))]));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", deflateSync(Buffer.concat(rows), { level: noise ? 0 : 6 })),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

/** A 1×1 grayscale baseline JPEG (one-symbol Huffman tables; decodable). */
export function makeJpeg(): Buffer {
  const hex =
    "ffd8" +
    "ffe000104a46494600010100000100010000" +
    "ffdb004300" +
    "01".repeat(64) +
    "ffc0000b080001000101011100" +
    "ffc4001400" +
    "01" +
    "00".repeat(15) +
    "00" +
    "ffc4001410" +
    "01" +
    "00".repeat(15) +
    "00" +
    "ffda000801010000003f00" +
    "3f" +
    "ffd9";
  return Buffer.from(hex, "hex");
}

/** A 1×1 GIF89a. */
export const makeGif = () => Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");
/** A 1×1 lossless WebP. */
export const makeWebp = () => Buffer.from("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==", "base64");

export const dataUrl = (bytes: Buffer, mime = "image/png") => `data:${mime};base64,${bytes.toString("base64")}`;

/** Every file under `dir`, relative, sorted (to assert "nothing written"). */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let names: string[] = [];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const n of names) {
      const full = join(d, n);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(dir, full).split("\\").join("/"));
    }
  };
  walk(dir);
  return out.sort();
}

/** The hostile files of the issue, each of which must be refused. */
export function hostileFiles(): Record<string, Buffer> {
  const png = makePng();
  const jpeg = makeJpeg();
  return {
    "PNG header on HTML": Buffer.concat([
      png.subarray(0, 8),
      Buffer.from("<html><body><script>alert(document.cookie)</script></body></html>"),
    ]),
    "SVG with script": Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><rect width="1" height="1"/></svg>'),
    "polyglot PNG + HTML": Buffer.concat([png, Buffer.from("<html><script>alert(1)</script></html>")]),
    "polyglot GIF + JS": Buffer.concat([makeGif(), Buffer.from("=1;alert(1)//")]),
    "polyglot JPEG + ZIP": Buffer.concat([jpeg, Buffer.from("504b0304140000000800", "hex"), Buffer.from("payload")]),
    "PNG with script in a text chunk": Buffer.concat([
      png.subarray(0, png.length - 12),
      pngChunk("tEXt", Buffer.from("Comment\0<script>alert(1)</script>")),
      png.subarray(png.length - 12),
    ]),
    "truncated JPEG": jpeg.subarray(0, jpeg.length - 3),
    "truncated PNG": png.subarray(0, png.length - 20),
    "PNG with a bad CRC": Buffer.from(png.map((b, i) => (i === 29 ? b ^ 0xff : b))),
    "truncated WebP": makeWebp().subarray(0, 30),
    "truncated GIF": makeGif().subarray(0, 30),
    PDF: Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"),
    HTML: Buffer.from("<!doctype html><html><script>alert(1)</script></html>"),
    BMP: Buffer.concat([Buffer.from("BM"), Buffer.alloc(60)]),
  };
}
