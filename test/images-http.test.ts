// HTTP tests of the image routes: the pre-upload, serving by id and by path, signatures, confinement.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, symlinkSync, writeFileSync, readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { hostileFiles, listFiles, makeGif, makeJpeg, makePng, makeWebp } from "./helpers/images.ts";

let s: TestServer;
let media: string;
let userToken: string;

beforeAll(async () => {
  s = await startTestServer({ env: { MAX_IMAGE_MB: "0.05" } });
  media = join(s.dir, "media");
  userToken = (await s.createUser("maria", "maria-pass-123")).token;
});
afterAll(async () => s?.stop());

async function upload(bytes: Buffer | null, opts: { token?: string | null; filename?: string; type?: string; field?: string } = {}) {
  const form = new FormData();
  if (bytes)
    form.append(opts.field ?? "image", new Blob([new Uint8Array(bytes)], { type: opts.type ?? "image/png" }), opts.filename ?? "foto.png");
  form.append("order_item_id", "3");
  const headers: Record<string, string> = {};
  const token = opts.token === undefined ? userToken : opts.token;
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${s.url}/pedidos/order-items/upload-image`, { method: "POST", body: form, headers });
  return { status: res.status, body: (await res.json()) as any };
}

/** GET without the helper's JSON parsing, returning the raw bytes. */
async function get(path: string, opts: { token?: string | null; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const res = await fetch(s.url + path, { headers });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** A raw request line, so no client normalises `..` segments away. */
function rawGet(path: string, token: string): Promise<number> {
  const { port } = new URL(s.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path, method: "GET", headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end();
  });
}

/** An order and an image row written straight to the database (the orders routes are another issue). */
function insertImageRow(path: string, filename = path.split(/[\\/]/).pop()!, mime = "image/png"): { orderId: number; imageId: number } {
  return s.deps.db.writeSync((tx) => {
    const orderId = tx.run(
      "INSERT INTO pedidos (numero, data_entrada, cliente) VALUES (?, '2026-01-01', 'Cliente')",
      `T${Date.now()}${Math.random()}`,
    ).lastInsertRowid;
    const imageId = tx.run(
      "INSERT INTO pedido_imagens (pedido_id, item_index, filename, mime_type, path, tamanho) VALUES (?, 0, ?, ?, ?, 10)",
      orderId,
      filename,
      mime,
      path,
    ).lastInsertRowid;
    return { orderId, imageId };
  });
}

describe("POST /pedidos/order-items/upload-image", () => {
  it("stores a PNG under pedidos/tmp with the extension of its bytes, whatever name and type the client sent", async () => {
    const png = makePng();
    const r = await upload(png, { filename: "evil.html", type: "text/html" });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ success: true, size: png.length });
    expect(r.body.server_reference).toMatch(/^pedidos\/tmp\/[0-9a-f]{32}\.png$/);
    expect(r.body.image_reference).toBe(r.body.server_reference);
    expect(r.body.path).toBe(r.body.server_reference);
    expect(r.body.filename).toBe(r.body.server_reference.split("/").pop());
    expect(readFileSync(join(media, r.body.server_reference)).equals(png)).toBe(true);
  });

  it.each([
    ["JPEG", makeJpeg(), "jpg"],
    ["GIF", makeGif(), "gif"],
    ["WebP", makeWebp(), "webp"],
  ])("accepts %s", async (_n, bytes, ext) => {
    const r = await upload(bytes, { filename: "x.png" });
    expect(r.status).toBe(200);
    expect(r.body.server_reference.endsWith(`.${ext}`)).toBe(true);
  });

  it("refuses every hostile file with 400 and a detail, writing nothing", async () => {
    const before = listFiles(media);
    for (const [name, bytes] of Object.entries(hostileFiles())) {
      const r = await upload(bytes, { filename: "a.png" });
      expect(r.status, name).toBe(400);
      expect(typeof r.body.detail, name).toBe("string");
    }
    expect(listFiles(media)).toEqual(before);
  });

  it("empty file → 400, too large → 413, missing field → 422, no token → 401; nothing written", async () => {
    const before = listFiles(media);
    expect((await upload(Buffer.alloc(0))).status).toBe(400);
    const big = await upload(makePng(150, 150, true));
    expect(big.status).toBe(413);
    expect(big.body.detail).toMatch(/limite/);
    expect((await upload(makePng(), { field: "file" })).status).toBe(422);
    expect((await upload(makePng(), { token: null })).status).toBe(401);
    expect(listFiles(media)).toEqual(before);
  });
});

describe("GET /pedidos/media/{path}", () => {
  let ref: string;
  let signedUrl: string;
  beforeAll(async () => {
    const r = await upload(makePng(3, 3));
    ref = r.body.server_reference;
    signedUrl = r.body.url;
  });

  it("serves an upload with a token: stored type, nosniff, ETag, cache header; 304 on If-None-Match", async () => {
    const r = await get(`/pedidos/media/${ref}`, { token: userToken });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("image/png");
    expect(r.headers.get("x-content-type-options")).toBe("nosniff");
    expect(r.headers.get("cache-control")).toMatch(/max-age=\d+/);
    expect(r.bytes.equals(readFileSync(join(media, ref)))).toBe(true);
    const etag = r.headers.get("etag")!;
    expect(etag).toMatch(/^".+"$/);
    const again = await get(`/pedidos/media/${ref}`, { token: userToken, headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect(again.bytes.length).toBe(0);
  });

  it("serves the signed URL without a header; unsigned or tampered without a token → 401", async () => {
    expect(signedUrl).toMatch(/^\/pedidos\/media\/pedidos\/tmp\/.+\?exp=\d+&sig=/);
    expect((await get(signedUrl)).status).toBe(200);
    expect((await get(`/pedidos/media/${ref}`)).status).toBe(401);
    // Flip the signature's first character to a different one (always a change, never a no-op).
    const tampered = signedUrl.replace(/sig=(.)/, (_m, c: string) => `sig=${c === "A" ? "B" : "A"}`);
    expect(tampered).not.toBe(signedUrl);
    expect((await get(tampered)).status).toBe(401);
    expect((await get(signedUrl.replace(/exp=\d+/, (m) => `exp=${Number(m.slice(4)) + 3600}`))).status).toBe(401);
    const other = await upload(makePng(4, 4));
    const sig = new URL(signedUrl, "http://x").search;
    expect((await get(`/pedidos/media/${other.body.server_reference}${sig}`)).status).toBe(401);
    expect((await get(`/pedidos/media/${ref}`, { token: "not-a-token" })).status).toBe(401);
  });

  it("confines every path to MEDIA_ROOT: traversal, encoded .., absolute, backslashes → 404", async () => {
    writeFileSync(join(s.dir, "secret.png"), makePng());
    for (const path of [
      "/pedidos/media/pedidos/tmp/..%2f..%2f..%2fsecret.png",
      "/pedidos/media/..%2fsecret.png",
      "/pedidos/media/pedidos%2ftmp%2f..%2f..%2f..%2fsecret.png",
      "/pedidos/media/%2e%2e%2fsecret.png",
      "/pedidos/media/pedidos%5ctmp%5c..%5c..%5c..%5csecret.png",
      "/pedidos/media/%2fetc%2fpasswd",
      "/pedidos/media/C:%5cWindows%5cwin.ini",
      "/pedidos/media/pedidos/tmp/a%00.png",
    ]) {
      const r = await get(path, { token: userToken });
      expect(r.status, path).toBe(404);
    }
    for (const path of [
      "/pedidos/media/../../secret.png",
      "/pedidos/media/pedidos/tmp/../../../secret.png",
      "/pedidos/media//etc/passwd",
    ]) {
      expect(await rawGet(path, userToken), path).toBe(404);
    }
  });

  it("does not follow a symlink out of the root", async () => {
    writeFileSync(join(s.dir, "outside.png"), makePng());
    symlinkSync(join(s.dir, "outside.png"), join(media, "pedidos", "tmp", "0123456789abcdef0123456789abcdef.png"));
    expect((await get("/pedidos/media/pedidos/tmp/0123456789abcdef0123456789abcdef.png", { token: userToken })).status).toBe(404);
  });

  it("serves nothing that is not an image we stored: snapshots, templates, non-images in tmp, files without a row", async () => {
    mkdirSync(join(media, "pedidos", "77"), { recursive: true });
    mkdirSync(join(media, "templates"), { recursive: true });
    writeFileSync(join(media, "pedidos", "77", "pedido-77-2026.json"), '{"cliente":"x"}');
    writeFileSync(join(media, "pedidos", "77", "orphan.png"), makePng());
    writeFileSync(join(media, "templates", "template-geral.html"), "<html></html>");
    writeFileSync(join(media, "pedidos", "tmp", "page.html"), "<html><script>alert(1)</script></html>");
    for (const path of [
      "pedidos/77/pedido-77-2026.json",
      "pedidos/77/orphan.png",
      "templates/template-geral.html",
      "pedidos/tmp/page.html",
      "pedidos/tmp/missing.png",
    ]) {
      expect((await get(`/pedidos/media/${path}`, { token: userToken })).status, path).toBe(404);
    }
  });
});

describe("GET /pedidos/imagens/{id}", () => {
  it("serves a stored image by id with a token or a signature; 401 without either", async () => {
    mkdirSync(join(media, "pedidos", "500"), { recursive: true });
    const gif = makeGif();
    writeFileSync(join(media, "pedidos", "500", "a1.gif"), gif);
    const { imageId } = insertImageRow("pedidos/500/a1.gif", "a1.gif", "image/gif");
    const withToken = await get(`/pedidos/imagens/${imageId}`, { token: userToken });
    expect(withToken.status).toBe(200);
    expect(withToken.headers.get("content-type")).toBe("image/gif");
    expect(withToken.headers.get("x-content-type-options")).toBe("nosniff");
    expect(withToken.bytes.equals(gif)).toBe(true);
    expect(
      (await get(`/pedidos/imagens/${imageId}`, { token: userToken, headers: { "if-none-match": withToken.headers.get("etag")! } })).status,
    ).toBe(304);

    const signed = s.deps.media.signer.sign(`/pedidos/imagens/${imageId}`);
    expect((await get(signed)).status).toBe(200);
    expect((await get(`/pedidos/imagens/${imageId}`)).status).toBe(401);
    expect((await get(signed.replace(`/imagens/${imageId}`, `/imagens/${imageId + 1}`))).status).toBe(401);
    // The legacy path of the same row, through the media route.
    expect((await get("/pedidos/media/pedidos/500/a1.gif", { token: userToken })).status).toBe(200);
  });

  it("streams a multi-chunk file intact, and answers HEAD with the headers only", async () => {
    mkdirSync(join(media, "pedidos", "503"), { recursive: true });
    const big = makePng(200, 200, true);
    writeFileSync(join(media, "pedidos", "503", "big.png"), big);
    const { imageId } = insertImageRow("pedidos/503/big.png");
    const r = await get(`/pedidos/imagens/${imageId}`, { token: userToken });
    expect(r.status).toBe(200);
    expect(r.bytes.equals(big)).toBe(true);
    const head = await fetch(`${s.url}/pedidos/imagens/${imageId}`, { method: "HEAD", headers: { authorization: `Bearer ${userToken}` } });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(big.length));
    expect((await head.arrayBuffer()).byteLength).toBe(0);
  });

  it("401 comes before 404, so an anonymous caller learns nothing", async () => {
    expect((await get("/pedidos/imagens/999999")).status).toBe(401);
    expect((await get("/pedidos/imagens/999999", { token: userToken })).status).toBe(404);
    expect((await get("/pedidos/imagens/abc", { token: userToken })).status).toBe(404);
  });

  it("keeps serving a legacy row written on Windows (backslashes) in the legacy layout", async () => {
    mkdirSync(join(media, "pedidos", "501"), { recursive: true });
    const jpeg = makeJpeg();
    writeFileSync(join(media, "pedidos", "501", "legacy.jpg"), jpeg);
    const { imageId } = insertImageRow("pedidos\\501\\legacy.jpg", "legacy.jpg", "image/jpeg");
    const r = await get(`/pedidos/imagens/${imageId}`, { token: userToken });
    expect(r.status).toBe(200);
    expect(r.bytes.equals(jpeg)).toBe(true);
    expect((await get("/pedidos/media/pedidos/501/legacy.jpg", { token: userToken })).status).toBe(200);
  });

  it("404 for a row whose path escapes the root, whose file is missing, or whose file is not an image", async () => {
    writeFileSync(join(s.dir, "secret.png"), makePng());
    mkdirSync(join(media, "pedidos", "502"), { recursive: true });
    writeFileSync(join(media, "pedidos", "502", "x.png"), "<html><script>alert(1)</script></html>");
    for (const path of ["../secret.png", join(s.dir, "secret.png"), "pedidos/502/missing.png", "pedidos/502/x.png"]) {
      const { imageId } = insertImageRow(path);
      expect((await get(`/pedidos/imagens/${imageId}`, { token: userToken })).status, path).toBe(404);
    }
  });
});
