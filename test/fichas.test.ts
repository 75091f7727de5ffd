// Fichas over real HTTP: CRUD with images through the item-image checks and file lifecycle, signed image URLs,
// and the bad inputs of every route (4xx with a detail, nothing half-written: no row without its file, no file
// without its row).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { dataUrl, hostileFiles, listFiles, makeGif, makeJpeg, makePng, makeWebp } from "./helpers/images.ts";

let s: TestServer;
let media: string;
let token: string;

beforeAll(async () => {
  // 64 KB image cap, so the 413 case is cheap.
  s = await startTestServer({ env: { MAX_IMAGE_MB: "0.0625" } });
  media = join(s.dir, "media");
  token = (await s.createUser("fichas-user", "fichas-pass-123")).token;
});
afterAll(async () => s?.stop());

const fichaFiles = () => listFiles(media).filter((f) => f.startsWith("fichas/"));
const rowCount = () => (s.deps.db.raw.prepare("SELECT COUNT(*) AS n FROM fichas").get() as { n: number }).n;

async function get(path: string, opts: { token?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const res = await fetch(s.url + path, { headers });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

describe("fichas CRUD with images", () => {
  it("creates a ficha from a data URL: file under fichas/{id}/, typed by content, signed imagem_url", async () => {
    const png = makePng(3, 3);
    const r = await s.request("POST", "/fichas/", {
      token,
      body: { nome: "Banner loja", descricao: "Frente", imagem_base64: dataUrl(png) },
    });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      id: expect.any(Number),
      client_id: null,
      nome: "Banner loja",
      descricao: "Frente",
      imagem_path: expect.stringMatching(new RegExp(`^fichas/${r.body.id}/[0-9a-f]{32}\\.png$`)),
      imagem_url: expect.stringMatching(new RegExp(`^/fichas/imagens/${r.body.id}\\?exp=\\d+&sig=[\\w-]{43}$`)),
      data_criacao: expect.stringMatching(/Z$/),
      ultima_atualizacao: expect.stringMatching(/Z$/),
    });
    expect(readFileSync(join(media, r.body.imagem_path)).equals(png)).toBe(true);
    // The signed URL works without a token; the bare path needs one.
    const signed = await get(r.body.imagem_url);
    expect(signed.status).toBe(200);
    expect(signed.headers.get("content-type")).toBe("image/png");
    expect(signed.headers.get("x-content-type-options")).toBe("nosniff");
    expect(signed.bytes.equals(png)).toBe(true);
    const bare = await get(`/fichas/imagens/${r.body.id}`);
    expect(bare.status).toBe(401);
    expect((await get(`/fichas/imagens/${r.body.id}`, { token })).bytes.equals(png)).toBe(true);
    // A signature of another ficha's URL, or a tampered one, is refused.
    const other = r.body.imagem_url.replace(`/fichas/imagens/${r.body.id}?`, `/fichas/imagens/${r.body.id + 1}?`);
    expect((await get(other)).status).toBe(401);
    expect((await get(r.body.imagem_url.replace(/sig=./, "sig=A"))).status).toBe(401);
    // An order image's signature does not open a ficha image.
    expect(
      (await get(`/fichas/imagens/${r.body.id}?${s.deps.media.signer.sign(`/pedidos/imagens/${r.body.id}`).split("?")[1]}`)).status,
    ).toBe(401);
  });

  it("accepts bare base64 too (the original did), and every allowed type", async () => {
    for (const [bytes, ext] of [
      [makeJpeg(), "jpg"],
      [makeGif(), "gif"],
      [makeWebp(), "webp"],
    ] as const) {
      const r = await s.request("POST", "/fichas", { token, body: { nome: ext, imagem_base64: bytes.toString("base64") } });
      expect(r.status, ext).toBe(200);
      expect(r.body.imagem_path.endsWith(`.${ext}`)).toBe(true);
      expect(readFileSync(join(media, r.body.imagem_path)).equals(bytes)).toBe(true);
    }
  });

  it("lists newest first with skip and limit, and reads one", async () => {
    const ids: number[] = [];
    for (const nome of ["L1", "L2", "L3"]) ids.push((await s.request("POST", "/fichas/", { token, body: { nome } })).body.id);
    const all = await s.request("GET", "/fichas/?limit=3", { token });
    expect(all.status).toBe(200);
    expect(all.body.map((f: any) => f.id)).toEqual([...ids].reverse());
    expect(all.body[0]).toMatchObject({ nome: "L3", imagem_path: null, imagem_url: null });
    expect((await s.request("GET", "/fichas?skip=1&limit=1", { token })).body.map((f: any) => f.id)).toEqual([ids[1]]);
    expect((await s.request("GET", `/fichas/${ids[0]}`, { token })).body).toMatchObject({ id: ids[0], nome: "L1" });
    const missing = await s.request("GET", "/fichas/999999", { token });
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toBe("Ficha não encontrada");
    expect((await s.request("GET", "/fichas/abc", { token })).status).toBe(404);
    expect((await s.request("GET", "/fichas/?limit=abc", { token })).status).toBe(422);
  });

  it('PATCH changes the fields sent; a new image replaces the old file after COMMIT; "" removes it', async () => {
    const first = makePng(2, 2);
    const second = makePng(4, 4);
    const created = (await s.request("POST", "/fichas/", { token, body: { nome: "Troca", descricao: "d", imagem_base64: dataUrl(first) } }))
      .body;
    const oldPath = created.imagem_path;
    const renamed = await s.request("PATCH", `/fichas/${created.id}`, { token, body: { nome: "Troca 2" } });
    expect(renamed.body).toMatchObject({ nome: "Troca 2", descricao: "d", imagem_path: oldPath });
    expect(renamed.body.ultima_atualizacao >= created.ultima_atualizacao).toBe(true);
    const replaced = await s.request("PATCH", `/fichas/${created.id}`, {
      token,
      body: { imagem_base64: dataUrl(second), descricao: null },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.descricao).toBeNull();
    expect(replaced.body.imagem_path).not.toBe(oldPath);
    expect(existsSync(join(media, oldPath))).toBe(false);
    expect(readFileSync(join(media, replaced.body.imagem_path)).equals(second)).toBe(true);
    // Same URL, new image: served fresh (no-cache, the ETag changed).
    const served = await get(replaced.body.imagem_url);
    expect(served.bytes.equals(second)).toBe(true);
    expect(served.headers.get("cache-control")).toBe("private, no-cache");
    expect((await get(replaced.body.imagem_url, { headers: { "if-none-match": served.headers.get("etag")! } })).status).toBe(304);
    const cleared = await s.request("PATCH", `/fichas/${created.id}`, { token, body: { imagem_base64: "" } });
    expect(cleared.body).toMatchObject({ imagem_path: null, imagem_url: null });
    expect(existsSync(join(media, replaced.body.imagem_path))).toBe(false);
    const none = await get(`/fichas/imagens/${created.id}`, { token });
    expect(none.status).toBe(404);
    expect(JSON.parse(none.bytes.toString()).detail).toBe("Ficha não possui imagem");
  });

  it("DELETE is admin only, answers the original's message, and removes the file and its folder", async () => {
    const created = (await s.request("POST", "/fichas/", { token, body: { nome: "Apagar", imagem_base64: dataUrl(makePng()) } })).body;
    const forbidden = await s.request("DELETE", `/fichas/${created.id}`, { token });
    expect(forbidden.status).toBe(403);
    const r = await s.request("DELETE", `/fichas/${created.id}`, { token: s.adminToken });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ message: `Ficha ${created.id} deletada com sucesso` });
    expect(existsSync(join(media, created.imagem_path))).toBe(false);
    expect(existsSync(join(media, "fichas", String(created.id)))).toBe(false);
    expect((await s.request("GET", `/fichas/${created.id}`, { token })).status).toBe(404);
    expect((await get(created.imagem_url)).status).toBe(404);
    expect((await s.request("DELETE", `/fichas/${created.id}`, { token: s.adminToken })).status).toBe(404);
    // A new ficha never reuses the deleted one's id (nor its folder).
    expect((await s.request("POST", "/fichas/", { token, body: { nome: "Depois" } })).body.id).toBeGreaterThan(created.id);
  });

  it("client_id names a cliente: an unknown one is 404, and deleting the cliente clears it", async () => {
    const cliente = (
      await s.request("POST", "/clientes/", { token, body: { nome: "Loja Azul", cep: "1", cidade: "Serra", estado: "ES", telefone: "1" } })
    ).body;
    const f = await s.request("POST", "/fichas/", { token, body: { nome: "Com cliente", client_id: cliente.id } });
    expect(f.body.client_id).toBe(cliente.id);
    const bad = await s.request("POST", "/fichas/", { token, body: { nome: "x", client_id: 999999 } });
    expect(bad.status).toBe(404);
    expect(bad.body.detail).toBe("Cliente não encontrado");
    expect((await s.request("PATCH", `/fichas/${f.body.id}`, { token, body: { client_id: 999999 } })).status).toBe(404);
    expect((await s.request("DELETE", `/clientes/${cliente.id}`, { token: s.adminToken })).status).toBe(200);
    expect((await s.request("GET", `/fichas/${f.body.id}`, { token })).body.client_id).toBeNull();
  });
});

describe("fichas: bad input, nothing half-written", () => {
  it("refuses every hostile or broken image with 400 and writes neither a row nor a file", async () => {
    const firstId = (await s.request("POST", "/fichas/", { token, body: { nome: "antes" } })).body.id;
    const rows = rowCount();
    const files = fichaFiles();
    for (const [name, bytes] of Object.entries(hostileFiles())) {
      const r = await s.request("POST", "/fichas/", { token, body: { nome: name, imagem_base64: dataUrl(bytes) } });
      expect(r.status, name).toBe(400);
      expect(r.body.detail, name).toMatch(/^Imagem da ficha: /);
    }
    const cases: [unknown, number][] = [
      ["data:text/html;base64,PGh0bWw+", 400],
      ["data:image/png,naoebase64", 400],
      ["não é base64!", 400],
      ["QUJD", 400], // valid base64, not an image
      [dataUrl(makePng(200, 200, true)), 413],
      [makePng(200, 200, true).toString("base64"), 413],
      [12345, 422],
    ];
    for (const [imagem_base64, status] of cases) {
      const r = await s.request("POST", "/fichas/", { token, body: { nome: "x", imagem_base64 } });
      expect(r.status, String(imagem_base64).slice(0, 40)).toBe(status);
      expect(r.body.detail).toBeTruthy();
    }
    expect(rowCount()).toBe(rows);
    expect(fichaFiles()).toEqual(files);
    // A refused image is refused before an id is reserved: the next ficha follows on.
    expect((await s.request("POST", "/fichas/", { token, body: { nome: "depois" } })).body.id).toBe(firstId + 1);
  });

  it("a PATCH with a bad image keeps the ficha and its file as they were", async () => {
    const png = makePng(5, 5);
    const f = (await s.request("POST", "/fichas/", { token, body: { nome: "Fica", imagem_base64: dataUrl(png) } })).body;
    const files = fichaFiles();
    const r = await s.request("PATCH", `/fichas/${f.id}`, {
      token,
      body: { nome: "Mudou", imagem_base64: dataUrl(hostileFiles()["polyglot PNG + HTML"]) },
    });
    expect(r.status).toBe(400);
    const after = (await s.request("GET", `/fichas/${f.id}`, { token })).body;
    expect(after).toMatchObject({ nome: "Fica", imagem_path: f.imagem_path });
    expect(fichaFiles()).toEqual(files);
    expect(readFileSync(join(media, f.imagem_path)).equals(png)).toBe(true);
  });

  it("a write that fails inside the transaction removes the file it staged", async () => {
    const files = fichaFiles();
    const rows = rowCount();
    // The cliente check runs inside the transaction, after the image was written: the file must go.
    const r = await s.request("POST", "/fichas/", { token, body: { nome: "x", client_id: 424242, imagem_base64: dataUrl(makePng()) } });
    expect(r.status).toBe(404);
    const f = (await s.request("POST", "/fichas/", { token, body: { nome: "y" } })).body;
    const p = await s.request("PATCH", `/fichas/${f.id}`, { token, body: { client_id: 424242, imagem_base64: dataUrl(makePng()) } });
    expect(p.status).toBe(404);
    expect(rowCount()).toBe(rows + 1);
    expect(fichaFiles()).toEqual(files);
  });

  it("PATCH of a missing ficha is 404 without any file work", async () => {
    const files = fichaFiles();
    const r = await s.request("PATCH", "/fichas/987654", { token, body: { imagem_base64: dataUrl(makePng()) } });
    expect(r.status).toBe(404);
    expect(r.body.detail).toBe("Ficha não encontrada");
    expect(fichaFiles()).toEqual(files);
    expect(existsSync(join(media, "fichas", "987654"))).toBe(false);
  });

  it("shape errors are FastAPI-like 422s; no token is 401", async () => {
    for (const body of [{ nome: 5 }, { client_id: "x" }, { client_id: 0 }, { nome: "n".repeat(501) }, [1, 2]]) {
      const r = await s.request("POST", "/fichas/", { token, body });
      expect(r.status, JSON.stringify(body).slice(0, 40)).toBe(422);
      expect(Array.isArray(r.body.detail)).toBe(true);
    }
    const raw = await s.request("POST", "/fichas/", { token, raw: "{nope", headers: { "content-type": "application/json" } });
    expect(raw.status).toBe(422);
    expect((await s.request("POST", "/fichas/", { body: { nome: "x" } })).status).toBe(401);
    expect((await s.request("GET", "/fichas/", {})).status).toBe(401);
  });

  it("parallel image writes on one ficha leave exactly one file: the committed one", async () => {
    const f = (await s.request("POST", "/fichas/", { token, body: { nome: "Corrida", imagem_base64: dataUrl(makePng(2, 2)) } })).body;
    const results = await Promise.all(
      [3, 4, 5, 6].map((n) => s.request("PATCH", `/fichas/${f.id}`, { token, body: { imagem_base64: dataUrl(makePng(n, n)) } })),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    const final = (await s.request("GET", `/fichas/${f.id}`, { token })).body;
    expect(fichaFiles().filter((p) => p.startsWith(`fichas/${f.id}/`))).toEqual([final.imagem_path]);
  });
});
