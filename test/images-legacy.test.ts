// Images of a database and media folder taken over from the original: rows written on Windows, the
// `pedidos/{pedido_id}/{file}` layout, and an item still pointing at a tmp upload (a failed promotion).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "libsql";
import { createLegacyDatabase } from "./fixtures/legacy-db.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { makeJpeg, makePng } from "./helpers/images.ts";

let s: TestServer;
let dir: string;
let token: string;
const abc = makePng(2, 3);
const def = makePng(3, 2);
const stale = makeJpeg();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sgp-legacy-img-"));
  createLegacyDatabase(join(dir, "sgp.db"));
  const legacy = new Database(join(dir, "sgp.db"));
  legacy
    .prepare("UPDATE pedidos SET items = ? WHERE id = 3")
    .run(JSON.stringify([{ descricao: "Lona", imagem: "pedidos/tmp/0a0b0c.jpg" }]));
  legacy.close();
  const media = join(dir, "media");
  mkdirSync(join(media, "pedidos", "1"), { recursive: true });
  mkdirSync(join(media, "pedidos", "tmp"), { recursive: true });
  writeFileSync(join(media, "pedidos", "1", "abc.png"), abc);
  writeFileSync(join(media, "pedidos", "1", "def.png"), def);
  writeFileSync(join(media, "pedidos", "1", "pedido-1-2025-03-01T12-00-00.json"), '{"cliente":"João"}');
  writeFileSync(join(media, "pedidos", "tmp", "0a0b0c.jpg"), stale);
  const old = (Date.now() - 3 * 24 * 3600 * 1000) / 1000;
  utimesSync(join(media, "pedidos", "tmp", "0a0b0c.jpg"), old, old);
  s = await startTestServer({ dir, env: { SGP_ADMIN_USER: "admin", SGP_ADMIN_PASSWORD: "senha-antiga-1" } });
  token = s.adminToken;
});
afterAll(async () => {
  await s?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const get = async (path: string, auth?: string) => {
  const res = await fetch(s.url + path, { headers: auth ? { authorization: `Bearer ${auth}` } : {} });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
};

describe("legacy images", () => {
  it("legacy items show their images as signed URLs, served from the legacy layout", async () => {
    const order = (await s.request("GET", "/pedidos/1", { token })).body;
    const [a, b] = order.items;
    expect(a.imagem).toMatch(/^\/pedidos\/imagens\/1\?exp=\d+&sig=/);
    expect(a.imagem_path).toBe("pedidos/1/abc.png");
    expect(b.imagem).toMatch(/^\/pedidos\/imagens\/2\?exp=\d+&sig=/);
    expect((await get(a.imagem)).bytes.equals(abc)).toBe(true);
    expect((await get(b.imagem)).bytes.equals(def)).toBe(true);
    expect((await get("/pedidos/media/pedidos/1/abc.png", token)).bytes.equals(abc)).toBe(true);
    expect((await get("/pedidos/media/pedidos/1/pedido-1-2025-03-01T12-00-00.json", token)).status).toBe(404);
  });

  it("a tmp upload a legacy item still references survives the sweep, is served, and is promoted on the next edit", async () => {
    expect(existsSync(join(dir, "media", "pedidos", "tmp", "0a0b0c.jpg"))).toBe(true);
    const order = (await s.request("GET", "/pedidos/3", { token })).body;
    expect(order.items[0].imagem).toMatch(/^\/pedidos\/media\/pedidos\/tmp\/0a0b0c\.jpg\?exp=/);
    expect((await get(order.items[0].imagem)).bytes.equals(stale)).toBe(true);
    const edited = await s.request("PATCH", "/pedidos/3", { body: { items: order.items }, token });
    expect(edited.status).toBe(200);
    expect(edited.body.items[0].imagem).toMatch(/^\/pedidos\/imagens\/\d+\?exp=/);
    expect(edited.body.items[0].imagem_path).toMatch(/^pedidos\/3\/[0-9a-f]{32}\.jpg$/);
    expect((await get(edited.body.items[0].imagem)).bytes.equals(stale)).toBe(true);
    expect(existsSync(join(dir, "media", "pedidos", "tmp", "0a0b0c.jpg"))).toBe(false);
  });

  it("sending the legacy order back unchanged keeps its images and files", async () => {
    const order = (await s.request("GET", "/pedidos/1", { token })).body;
    const r = await s.request("PATCH", "/pedidos/1", { body: { items: order.items }, token });
    expect(r.status).toBe(200);
    expect(r.body.items.map((i: any) => i.imagem_path)).toEqual(["pedidos/1/abc.png", "pedidos/1/def.png"]);
    expect(existsSync(join(dir, "media", "pedidos", "1", "abc.png"))).toBe(true);
    expect(existsSync(join(dir, "media", "pedidos", "1", "def.png"))).toBe(true);
  });
});
