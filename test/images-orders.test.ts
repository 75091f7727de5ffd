// Item images through the order routes: create, PATCH (replace, remove, reorder), delete, drafts, and the hostile
// files of the issue, each refused with nothing written.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { dataUrl, hostileFiles, listFiles, makeGif, makeJpeg, makePng } from "./helpers/images.ts";

let s: TestServer;
let media: string;
let token: string;

beforeAll(async () => {
  s = await startTestServer();
  media = join(s.dir, "media");
  token = (await s.createUser("joana", "joana-pass-123")).token;
});
afterAll(async () => s?.stop());

const SIGNED = /^\/pedidos\/imagens\/(\d+)\?exp=\d+&sig=[\w-]{43}$/;
const idOf = (imagem: string) => Number(SIGNED.exec(imagem)![1]);
const order = (items: Record<string, unknown>[]) => ({ cliente: "Cliente Imagens", data_entrada: "2026-11-29", items });
const item = (descricao: string, imagem: unknown) => ({
  tipo_producao: "painel",
  descricao,
  quantidade_paineis: "1",
  valor_unitario: "10.00",
  imagem,
});

async function create(items: Record<string, unknown>[]) {
  return s.request("POST", "/pedidos/", { body: order(items), token });
}
async function patch(id: number, items: Record<string, unknown>[]) {
  return s.request("PATCH", `/pedidos/${id}`, { body: { items }, token });
}
async function getBytes(path: string, auth?: string) {
  const res = await fetch(s.url + path, { headers: auth ? { authorization: `Bearer ${auth}` } : {} });
  return { status: res.status, type: res.headers.get("content-type"), bytes: Buffer.from(await res.arrayBuffer()) };
}
async function uploadTmp(bytes: Buffer): Promise<string> {
  const form = new FormData();
  form.append("image", new Blob([new Uint8Array(bytes)]), "foto.jpg");
  const res = await fetch(`${s.url}/pedidos/order-items/upload-image`, {
    method: "POST",
    body: form,
    headers: { authorization: `Bearer ${token}` },
  });
  return ((await res.json()) as { server_reference: string }).server_reference;
}
const count = (table: string) => s.deps.db.writeSync((tx) => tx.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`)!.n);
const orderFiles = (id: number) => listFiles(join(media, "pedidos", String(id)));

describe("create", () => {
  it("stores a data URL and a pre-upload, answers signed URLs that work without a header", async () => {
    const png = makePng(8, 8);
    const jpeg = makeJpeg();
    const tmp = await uploadTmp(jpeg);
    const r = await create([item("a", dataUrl(png)), item("b", tmp), item("c", null)]);
    expect(r.status).toBe(200);
    const [a, b, c] = r.body.items;
    expect(a.imagem).toMatch(SIGNED);
    expect(b.imagem).toMatch(SIGNED);
    expect(a.imagem_path).toMatch(new RegExp(`^pedidos/${r.body.id}/[0-9a-f]{32}\\.png$`));
    expect(b.imagem_path).toMatch(/\.jpg$/);
    expect(c.imagem).toBeNull();
    const served = await getBytes(a.imagem);
    expect(served.status).toBe(200);
    expect(served.type).toBe("image/png");
    expect(served.bytes.equals(png)).toBe(true);
    expect((await getBytes(b.imagem)).bytes.equals(jpeg)).toBe(true);
    expect(existsSync(join(media, tmp))).toBe(false);
    // Without the signature, a token is needed.
    const bare = a.imagem.replace(/\?.*$/, "");
    expect((await getBytes(bare)).status).toBe(401);
    expect((await getBytes(bare, token)).status).toBe(200);
    expect((await getBytes(a.imagem.replace(/sig=[\w-]{4}/, "sig=AAAA"))).status).toBe(401);
    // GET and the list answer signed URLs too; the event log keeps the unsigned reference, never the data URL.
    const got = await s.request("GET", `/pedidos/${r.body.id}`, { token });
    expect(got.body.items[0].imagem).toMatch(SIGNED);
    expect(idOf(got.body.items[0].imagem)).toBe(idOf(a.imagem));
    const list = await s.request("GET", "/pedidos/?limit=10", { token });
    expect(list.body.find((o: any) => o.id === r.body.id).items[0].imagem).toMatch(SIGNED);
    const logged = s.deps.db.writeSync(
      (tx) => tx.get<{ payload: string }>("SELECT payload FROM event_log WHERE order_id = ? AND type = 'order_created'", r.body.id)!,
    );
    expect(logged.payload).toContain(`"imagem":"/pedidos/imagens/${idOf(a.imagem)}"`);
    expect(logged.payload).not.toContain("base64");
  });

  it("refuses every hostile file with 4xx and a detail: no order, no row, no file", async () => {
    writeFileSync(join(s.dir, "secret.png"), makePng());
    const before = { files: listFiles(media), orders: count("pedidos"), images: count("pedido_imagens") };
    const hostile: [string, string][] = [
      ...Object.entries(hostileFiles()).map(([n, b]) => [n, dataUrl(b)] as [string, string]),
      ["empty data URL", "data:image/png;base64,"],
      ["invalid base64", "data:image/png;base64,iVBORw0KGgo!!!!AAAANSUhEUg=="],
      ["SVG declared as SVG", `data:image/svg+xml;base64,${Buffer.from("<svg onload=alert(1)></svg>").toString("base64")}`],
      ["20 MB data URL", `data:image/png;base64,${"A".repeat(20 * 1024 * 1024)}`],
      ["..%2f path", "pedidos/tmp/..%2f..%2f..%2fsecret.png"],
      ["../ path", "pedidos/tmp/../../../secret.png"],
      ["absolute path", "/etc/passwd"],
      ["missing tmp upload", "pedidos/tmp/0123456789abcdef0123456789abcdef.png"],
      ["unknown image id", "/pedidos/imagens/987654"],
    ];
    for (const [name, imagem] of hostile) {
      const r = await create([item("ok", dataUrl(makePng())), item("bad", imagem)]);
      expect([400, 413], name).toContain(r.status);
      expect(typeof r.body.detail, name).toBe("string");
      expect(r.body.detail, name).toMatch(/item 2/);
    }
    const empty = await uploadTmp(Buffer.alloc(0)).catch(() => null);
    expect(empty).toBeUndefined(); // the upload itself answers 400 without a reference
    expect({ files: listFiles(media), orders: count("pedidos"), images: count("pedido_imagens") }).toEqual(before);
    expect((await getBytes("/pedidos/media/pedidos/tmp/..%2f..%2f..%2fsecret.png", token)).status).toBe(404);
  });
});

describe("PATCH", () => {
  it("replace, remove and reorder: the right files remain, the others are gone", async () => {
    const r = await create([item("a", dataUrl(makePng(1, 1))), item("b", dataUrl(makePng(2, 2))), item("c", dataUrl(makePng(3, 3)))]);
    const id = r.body.id;
    const [a, b, c] = r.body.items;
    expect(orderFiles(id)).toHaveLength(3);

    // Reorder, sending back exactly what the client got (signed URLs, some as absolute URLs).
    const re = await patch(id, [{ ...c, imagem: `${s.url}${c.imagem}` }, a, b]);
    expect(re.status).toBe(200);
    expect(re.body.items.map((i: any) => [i.id, idOf(i.imagem), i.imagem_path])).toEqual([
      [c.id, idOf(c.imagem), c.imagem_path],
      [a.id, idOf(a.imagem), a.imagem_path],
      [b.id, idOf(b.imagem), b.imagem_path],
    ]);
    expect(orderFiles(id)).toHaveLength(3);

    // Replace c's image, clear a's, drop b, add a new item with a GIF.
    const gif = makeGif();
    const jpeg = makeJpeg();
    const ed = await patch(id, [
      { ...c, imagem: dataUrl(jpeg, "image/jpeg") },
      { ...a, imagem: null },
      item("d", dataUrl(gif, "image/gif")),
    ]);
    expect(ed.status).toBe(200);
    const [c2, a2, d2] = ed.body.items;
    expect(a2).toMatchObject({ id: a.id, imagem: null, imagem_path: null });
    expect(c2.id).toBe(c.id);
    expect(idOf(c2.imagem)).not.toBe(idOf(c.imagem));
    expect(readFileSync(join(media, c2.imagem_path)).equals(jpeg)).toBe(true);
    expect(readFileSync(join(media, d2.imagem_path)).equals(gif)).toBe(true);
    expect(orderFiles(id).sort()).toEqual([c2.imagem_path, d2.imagem_path].map((p: string) => p.split("/").pop()).sort());
    for (const gone of [a, b, c]) expect(existsSync(join(media, gone.imagem_path))).toBe(false);
    expect((await getBytes(c.imagem)).status).toBe(404);

    // A PATCH without items, and the item patch sending back its signed URL, leave the images alone.
    expect((await s.request("PATCH", `/pedidos/${id}`, { body: { observacao: "x" }, token })).status).toBe(200);
    const ip = await s.request("PATCH", `/pedidos/pedido-itens/${c2.id}`, { body: { ...c2, perfil_cor: "FOGRA39" }, token });
    expect(ip.status).toBe(200);
    const now = (await s.request("GET", `/pedidos/${id}`, { token })).body.items;
    expect(now.map((i: any) => i.imagem && idOf(i.imagem))).toEqual([idOf(c2.imagem), null, idOf(d2.imagem)]);
    expect(now[0].perfil_cor).toBe("FOGRA39");
    expect(orderFiles(id)).toHaveLength(2);
  });

  it("a hostile image in a PATCH changes nothing", async () => {
    const r = await create([item("a", dataUrl(makePng()))]);
    const before = { files: listFiles(media), images: count("pedido_imagens") };
    const bad = await patch(r.body.id, [{ ...r.body.items[0], imagem: dataUrl(hostileFiles()["polyglot PNG + HTML"]) }, item("n", null)]);
    expect(bad.status).toBe(400);
    expect({ files: listFiles(media), images: count("pedido_imagens") }).toEqual(before);
    const after = (await s.request("GET", `/pedidos/${r.body.id}`, { token })).body;
    expect(after.items).toHaveLength(1);
    expect(idOf(after.items[0].imagem)).toBe(idOf(r.body.items[0].imagem));
  });
});

describe("under parallel writes", () => {
  it("parallel creates and PATCHes replacing one image: every row has its file, no file lacks a row", async () => {
    const creates = await Promise.all(Array.from({ length: 20 }, (_, i) => create([item(`p${i}`, dataUrl(makePng(i + 1, 2)))])));
    expect(creates.every((r) => r.status === 200)).toBe(true);
    const target = creates[0].body;
    const patches = await Promise.all(
      Array.from({ length: 10 }, (_, i) => patch(target.id, [{ ...target.items[0], imagem: dataUrl(makePng(2, i + 1)) }])),
    );
    expect(patches.map((r) => r.status)).toEqual(Array(10).fill(200));
    const final = (await s.request("GET", `/pedidos/${target.id}`, { token })).body.items[0];
    expect(orderFiles(target.id)).toEqual([final.imagem_path.split("/").pop()]);
    const rows = s.deps.db
      .writeSync((tx) => tx.all<{ path: string }>("SELECT path FROM pedido_imagens"))
      .map((r) => r.path)
      .sort();
    const files = listFiles(join(media, "pedidos"))
      .filter((f) => !f.startsWith("tmp/"))
      .map((f) => `pedidos/${f}`)
      .sort();
    expect(files).toEqual(rows);
  });
});

describe("PATCH of a missing order", () => {
  it("404, and no file or folder is written for it", async () => {
    const r = await patch(987654, [item("a", dataUrl(makePng()))]);
    expect(r.status).toBe(404);
    expect(existsSync(join(media, "pedidos", "987654"))).toBe(false);
  });
});

describe("delete and drafts", () => {
  it("deleting an order deletes its image rows and files", async () => {
    const r = await create([item("a", dataUrl(makePng())), item("b", dataUrl(makeJpeg(), "image/jpeg"))]);
    const paths = r.body.items.map((i: any) => i.imagem_path);
    expect(paths.every((p: string) => existsSync(join(media, p)))).toBe(true);
    const del = await s.request("DELETE", `/pedidos/${r.body.id}`, { token: s.adminToken });
    expect(del.status).toBe(200);
    expect(paths.some((p: string) => existsSync(join(media, p)))).toBe(false);
    expect(
      s.deps.db.writeSync((tx) => tx.get<{ n: number }>("SELECT COUNT(*) AS n FROM pedido_imagens WHERE pedido_id = ?", r.body.id)!.n),
    ).toBe(0);
    expect((await getBytes(r.body.items[0].imagem)).status).toBe(404);
  });

  it("a draft stores its data-URL image the same way", async () => {
    const png = makePng(9, 9);
    const r = await s.request("POST", "/pedidos/rascunho", { body: order([item("a", dataUrl(png))]), token });
    expect(r.status).toBe(200);
    expect(r.body.items[0].imagem).toMatch(SIGNED);
    expect((await getBytes(r.body.items[0].imagem)).bytes.equals(png)).toBe(true);
  });
});
