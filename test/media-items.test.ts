// The item-image lifecycle of lib/media/item-images.ts on a real database and media folder, with the order and item
// rows written the way the orders repository writes them (a stand-in: the orders routes are another issue).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { dataUrl, listFiles, makeGif, makeJpeg, makePng } from "./helpers/images.ts";
import { prepareItemImages, imageFilesOfOrder } from "../lib/media/item-images.ts";
import { removeMediaFiles, writeMediaFile } from "../lib/media/files.ts";
import { DAY_MS, sweepTmp } from "../lib/media/sweep.ts";
import { utimesSync } from "node:fs";
import { imagesOfOrder } from "../lib/media/repository.ts";
import { AppError } from "../lib/errors.ts";
import type { Tx } from "../lib/db/connection.ts";

let s: TestServer;
let media: string;
beforeAll(async () => {
  s = await startTestServer({ env: { MAX_IMAGE_MB: "1" } });
  media = join(s.dir, "media");
});
afterAll(async () => s?.stop());

type Item = Record<string, unknown>;
const deps = () => ({ db: s.deps.db, media: s.deps.media, config: s.deps.config, log: s.deps.log });

/** Writes items like the orders repository: existing ids keep their row, others are inserted, absent ones deleted. */
function writeItems(tx: Tx, orderId: number, items: Item[]): number[] {
  const ids = items.map((item, posicao) => {
    const { id, ...data } = item;
    if (typeof id === "number") {
      tx.run("UPDATE pedido_itens SET posicao = ?, data = ? WHERE id = ? AND pedido_id = ?", posicao, JSON.stringify(data), id, orderId);
      return id;
    }
    return tx.run("INSERT INTO pedido_itens (pedido_id, posicao, data) VALUES (?, ?, ?)", orderId, posicao, JSON.stringify(data))
      .lastInsertRowid;
  });
  const keep = new Set(ids);
  for (const r of tx.all<{ id: number }>("SELECT id FROM pedido_itens WHERE pedido_id = ?", orderId)) {
    if (!keep.has(r.id)) tx.run("DELETE FROM pedido_itens WHERE id = ?", r.id);
  }
  return ids;
}

/** Create: prepare → one transaction → commit (or rollback). Returns the order id. */
async function createOrder(items: Item[], failInside = false): Promise<number> {
  const images = await prepareItemImages(deps(), items, null);
  try {
    const id = await s.deps.db.write((tx) => {
      const orderId = tx.run("INSERT INTO pedidos (data_entrada, cliente) VALUES ('2026-01-01', 'C')").lastInsertRowid;
      images.apply(tx, orderId, writeItems(tx, orderId, images.items));
      if (failInside) throw new Error("boom after linking");
      return orderId;
    });
    await images.commit();
    return id;
  } catch (err) {
    await images.rollback();
    throw err;
  }
}

async function patchItems(orderId: number, items: Item[]): Promise<void> {
  const images = await prepareItemImages(deps(), items, orderId);
  try {
    await s.deps.db.write((tx) => images.apply(tx, orderId, writeItems(tx, orderId, images.items)));
  } catch (err) {
    await images.rollback();
    throw err;
  }
  await images.commit();
}

function itemsOf(orderId: number): Item[] {
  return s.deps.db.writeSync((tx) =>
    tx
      .all<{ id: number; data: string }>("SELECT id, data FROM pedido_itens WHERE pedido_id = ? ORDER BY posicao", orderId)
      .map((r) => ({ id: r.id, ...JSON.parse(r.data) })),
  );
}
const rowsOf = (orderId: number) => s.deps.db.writeSync((tx) => imagesOfOrder(tx, orderId));
const fileOf = (rel: string) => readFileSync(join(media, rel));

async function uploadTmp(bytes: Buffer): Promise<string> {
  const form = new FormData();
  form.append("image", new Blob([new Uint8Array(bytes)]), "x.bin");
  const res = await fetch(`${s.url}/pedidos/order-items/upload-image`, {
    method: "POST",
    body: form,
    headers: { authorization: `Bearer ${s.adminToken}` },
  });
  return ((await res.json()) as { server_reference: string }).server_reference;
}

const statusOf = async (p: Promise<unknown>) =>
  p.then(
    () => 0,
    (e) => (e instanceof AppError ? e.status : Promise.reject(e)),
  );

describe("item images through create and edits", () => {
  it("create: a data URL and a tmp upload become rows and files under pedidos/{id}/; the tmp file goes", async () => {
    const png = makePng(5, 5);
    const jpeg = makeJpeg();
    const tmp = await uploadTmp(jpeg);
    const orderId = await createOrder([
      { descricao: "a", imagem: dataUrl(png) },
      { descricao: "b", imagem: tmp },
      { descricao: "c", imagem: null },
    ]);
    const items = itemsOf(orderId);
    const rows = rowsOf(orderId);
    expect(rows).toHaveLength(2);
    expect(items[0]).toMatchObject({ descricao: "a", imagem: `/pedidos/imagens/${rows[0].id}`, imagem_path: rows[0].path });
    expect(items[1]).toMatchObject({ imagem: `/pedidos/imagens/${rows[1].id}`, imagem_path: rows[1].path });
    expect(items[2]).toMatchObject({ imagem: null, imagem_path: null });
    expect(rows[0]).toMatchObject({ itemId: items[0].id, itemIndex: 0, mimeType: "image/png", size: png.length });
    expect(rows[0].path).toMatch(new RegExp(`^pedidos/${orderId}/[0-9a-f]{32}\\.png$`));
    expect(rows[1].path).toMatch(/\.jpg$/);
    expect(fileOf(rows[0].path).equals(png)).toBe(true);
    expect(fileOf(rows[1].path).equals(jpeg)).toBe(true);
    expect(existsSync(join(media, tmp))).toBe(false);
    expect(listFiles(join(media, "pedidos", ".staging"))).toEqual([]);
  });

  it("replace, remove and reorder: the right files remain, the others are gone", async () => {
    const [p1, p2, p3] = [makePng(1, 1), makePng(2, 2), makePng(3, 3)];
    const orderId = await createOrder([
      { n: 1, imagem: dataUrl(p1) },
      { n: 2, imagem: dataUrl(p2) },
      { n: 3, imagem: dataUrl(p3) },
    ]);
    const [a, b, c] = itemsOf(orderId);
    const [r1, r2, r3] = rowsOf(orderId);

    // Reorder, sending back the signed URLs the client got (absolute, with query string): nothing changes on disk.
    const signed = (ref: unknown) => `http://127.0.0.1:8000${s.deps.media.signer.sign(String(ref))}`;
    await patchItems(orderId, [
      { ...c, imagem: signed(c.imagem) },
      { ...a, imagem: signed(a.imagem) },
      { ...b, imagem: b.imagem },
    ]);
    expect(itemsOf(orderId).map((i) => [i.n, i.imagem])).toEqual([
      [3, `/pedidos/imagens/${r3.id}`],
      [1, `/pedidos/imagens/${r1.id}`],
      [2, `/pedidos/imagens/${r2.id}`],
    ]);
    expect(rowsOf(orderId).map((r) => [r.id, r.itemIndex])).toEqual([
      [r1.id, 1],
      [r2.id, 2],
      [r3.id, 0],
    ]);
    expect([r1, r2, r3].every((r) => existsSync(join(media, r.path)))).toBe(true);

    // Replace item 1's image, clear item 2's, drop item 3, add a new item with a GIF.
    const gif = makeGif();
    const p4 = makePng(4, 4);
    await patchItems(orderId, [
      { ...a, imagem: dataUrl(p4) },
      { ...b, imagem: "" },
      { n: 4, imagem: dataUrl(gif, "image/gif") },
    ]);
    const after = itemsOf(orderId);
    const rows = rowsOf(orderId);
    expect(rows).toHaveLength(2);
    expect(after.map((i) => i.n)).toEqual([1, 2, 4]);
    expect(after[0].imagem).toBe(`/pedidos/imagens/${rows[0].id}`);
    expect(after[1]).toMatchObject({ imagem: null, imagem_path: null });
    expect(after[2].imagem).toBe(`/pedidos/imagens/${rows[1].id}`);
    expect(fileOf(rows[0].path).equals(p4)).toBe(true);
    expect(fileOf(rows[1].path).equals(gif)).toBe(true);
    for (const gone of [r1, r2, r3]) expect(existsSync(join(media, gone.path))).toBe(false);
    expect(listFiles(join(media, "pedidos", String(orderId))).sort()).toEqual(rows.map((r) => r.path.split("/").pop()).sort());
  });

  it("an item sent without `imagem` keeps its image", async () => {
    const orderId = await createOrder([{ n: 1, imagem: dataUrl(makePng()) }]);
    const [a] = itemsOf(orderId);
    const { imagem: _drop, imagem_path: _drop2, ...withoutImage } = a;
    await patchItems(orderId, [withoutImage]);
    expect(itemsOf(orderId)[0].imagem).toBe(a.imagem);
    expect(rowsOf(orderId)).toHaveLength(1);
  });

  it("a hostile image in any item refuses the whole write: no rows, no files, no staged leftovers", async () => {
    const before = listFiles(media);
    const count = s.deps.db.writeSync((tx) => tx.get<{ n: number }>("SELECT COUNT(*) AS n FROM pedido_imagens")!.n);
    const html = Buffer.concat([makePng().subarray(0, 8), Buffer.from("<html><script>alert(1)</script></html>")]);
    for (const bad of [
      dataUrl(html),
      "data:image/png;base64,@@@@",
      dataUrl(makePng(700, 700, true)),
      "data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=",
      "https://evil.example/x.png",
    ]) {
      const status = await statusOf(createOrder([{ imagem: dataUrl(makePng()) }, { imagem: bad }]));
      expect([400, 413], bad.slice(0, 40)).toContain(status);
    }
    expect(listFiles(media)).toEqual(before);
    expect(s.deps.db.writeSync((tx) => tx.get<{ n: number }>("SELECT COUNT(*) AS n FROM pedido_imagens")!.n)).toBe(count);
  });

  it("a transaction that fails after linking leaves no file behind", async () => {
    const before = listFiles(media);
    await expect(createOrder([{ imagem: dataUrl(makePng()) }], true)).rejects.toThrow("boom");
    expect(listFiles(media)).toEqual(before);
  });

  it("an image of another order is copied, so deleting one order never breaks the other", async () => {
    const first = await createOrder([{ imagem: dataUrl(makePng(6, 6)) }]);
    const [src] = rowsOf(first);
    const second = await createOrder([{ imagem: `/pedidos/imagens/${src.id}` }]);
    const [copy] = rowsOf(second);
    expect(copy.id).not.toBe(src.id);
    expect(fileOf(copy.path).equals(fileOf(src.path))).toBe(true);
    // Delete the first order the way the orders repository will: collect its files in the transaction, remove after.
    const files = await s.deps.db.write((tx) => {
      const paths = imageFilesOfOrder(tx, first);
      tx.run("DELETE FROM pedidos WHERE id = ?", first);
      return paths;
    });
    await removeMediaFiles(s.deps.media, files);
    expect(existsSync(join(media, src.path))).toBe(false);
    expect(rowsOf(first)).toEqual([]);
    expect(existsSync(join(media, copy.path))).toBe(true);
  });

  it("a legacy value an item already holds is kept as text; a new unknown one is refused", async () => {
    const orderId = await createOrder([{ n: 1 }]);
    s.deps.db.writeSync((tx) =>
      tx.run("UPDATE pedido_itens SET data = json_set(data, '$.imagem', ?) WHERE pedido_id = ?", "C:\\fotos\\banner.jpg", orderId),
    );
    const [a] = itemsOf(orderId);
    await patchItems(orderId, [{ ...a }]);
    expect(itemsOf(orderId)[0].imagem).toBe("C:\\fotos\\banner.jpg");
    expect(await statusOf(patchItems(orderId, [{ ...a, imagem: "C:\\fotos\\other.jpg" }]))).toBe(400);
  });

  it("a kept image removed by a concurrent write → 409, nothing half-written", async () => {
    const orderId = await createOrder([{ imagem: dataUrl(makePng()) }, { imagem: dataUrl(makePng(2, 2)) }]);
    const [a, b] = itemsOf(orderId);
    const images = await prepareItemImages(deps(), [{ ...a }, { ...b, imagem: dataUrl(makeJpeg()) }], orderId);
    await patchItems(orderId, [{ ...a, imagem: null }, { ...b }]); // the concurrent edit wins first
    const status = await statusOf(
      s.deps.db
        .write((tx) => images.apply(tx, orderId, writeItems(tx, orderId, [{ ...a }, { ...b, imagem: "x" }])))
        .catch(async (e) => {
          await images.rollback();
          throw e;
        }),
    );
    expect(status).toBe(409);
    expect(itemsOf(orderId)[0].imagem).toBeNull();
    expect(rowsOf(orderId)).toHaveLength(1);
    expect(listFiles(join(media, "pedidos", String(orderId)))).toHaveLength(1);
  });

  it("the sweeper keeps tmp files an item still references, and finishes or drops old staged files", async () => {
    const old = (Date.now() - 2 * DAY_MS) / 1000;
    const age = (rel: string) => utimesSync(join(media, rel), old, old);
    // A legacy item still pointing at a tmp upload (the original's failed promotion), and an unreferenced one.
    await writeMediaFile(s.deps.media, "pedidos/tmp/legacy-kept.png", makePng());
    await writeMediaFile(s.deps.media, "pedidos/tmp/abandoned.png", makePng());
    const orderId = await createOrder([{ n: 1 }]);
    s.deps.db.writeSync((tx) =>
      tx.run("UPDATE pedido_itens SET data = json_set(data, '$.imagem', 'pedidos/tmp/legacy-kept.png') WHERE pedido_id = ?", orderId),
    );
    // A committed row whose staged file was never moved (a crash after COMMIT), and a staged file with no row.
    const withRow = await createOrder([{ imagem: dataUrl(makePng(7, 7)) }]);
    const [row] = rowsOf(withRow);
    await removeMediaFiles(s.deps.media, [row.path]);
    await writeMediaFile(s.deps.media, `pedidos/.staging/${row.filename}`, makePng(7, 7));
    // Until it is moved, the image is still served from staging.
    const served = await fetch(`${s.url}/pedidos/imagens/${row.id}`, { headers: { authorization: `Bearer ${s.adminToken}` } });
    expect(served.status).toBe(200);
    await writeMediaFile(s.deps.media, "pedidos/.staging/orphan.png", makePng());
    for (const rel of [
      "pedidos/tmp/legacy-kept.png",
      "pedidos/tmp/abandoned.png",
      `pedidos/.staging/${row.filename}`,
      "pedidos/.staging/orphan.png",
    ])
      age(rel);

    const report = await sweepTmp({ media: s.deps.media, db: s.deps.db }, DAY_MS);
    expect(report).toMatchObject({ tmpRemoved: 1, stagingMoved: 1, stagingRemoved: 1 });
    expect(existsSync(join(media, "pedidos/tmp/legacy-kept.png"))).toBe(true);
    expect(existsSync(join(media, "pedidos/tmp/abandoned.png"))).toBe(false);
    expect(existsSync(join(media, row.path))).toBe(true);
    expect(listFiles(join(media, "pedidos", ".staging"))).toEqual([]);
  });
});
