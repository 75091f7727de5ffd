// The stored wire JSON of orders (migration 011): after every kind of write it equals a fresh serialization of
// the rows, the GET answer is it with the images signed, and the event carried the same order; writes that
// bypass the hooks (raw SQL, a migration) can never leave it stale; a start refills what is missing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { dataUrl, makePng } from "./helpers/images.ts";
import { createLegacyDatabase } from "./fixtures/legacy-db.ts";
import { serializeFromRows } from "../lib/orders/stored.ts";
import { signOrderImages } from "../lib/media/wire.ts";

let s: TestServer;
let token: string;

beforeAll(async () => {
  s = await startTestServer();
  token = s.adminToken;
});
afterAll(async () => s?.stop());

const stored = (srv: TestServer, id: number) =>
  srv.deps.db.raw.prepare("SELECT json, images FROM pedido_json WHERE pedido_id = ?").get(id) as
    | { json: string; images: string | null }
    | undefined;
const fresh = (srv: TestServer, id: number) => srv.deps.db.writeSync((tx) => serializeFromRows(tx, id));
const lastOrderEvent = (id: number) =>
  JSON.parse(
    (
      s.deps.db.raw
        .prepare("SELECT payload FROM event_log WHERE order_id = ? AND type <> 'order_deleted' ORDER BY id DESC LIMIT 1")
        .get(id) as { payload: string }
    ).payload,
  );

/** Stored = fresh serialization (byte for byte); GET = stored with images signed; the last event carried it. */
async function expectInStep(id: number) {
  const row = stored(s, id);
  expect(row, `order ${id} has stored JSON`).toBeTruthy();
  const again = fresh(s, id)!;
  expect(row!.json).toBe(again.json.toString("utf8"));
  expect(row!.images ? JSON.parse(row!.images) : null).toEqual(again.images);
  const got = await s.request("GET", `/pedidos/${id}`, { token });
  expect(got.status).toBe(200);
  expect(got.body).toEqual(signOrderImages(s.deps.media.signer, JSON.parse(row!.json)));
  const { user_id: _u, username: _n, ...evented } = lastOrderEvent(id).order;
  expect(evented).toEqual(JSON.parse(row!.json));
}

const item = (descricao: string, extra: Record<string, unknown> = {}) => ({
  tipo_producao: "painel",
  descricao,
  quantidade_paineis: "1",
  valor_unitario: "10.00",
  ...extra,
});

describe("stored wire JSON after every kind of write", () => {
  it("create, PATCH (fields and items), item patch, batch-status, draft and promote, designer panel, images, delete", async () => {
    const png = makePng(4, 4);
    const created = await s.request("POST", "/pedidos/", {
      body: {
        cliente: "Ação Ltda",
        data_entrada: "2026-11-29",
        valor_frete: "12,50",
        items: [item("a", { imagem: dataUrl(png) }), item('b "aspas" 🎉')],
      },
      token,
    });
    expect(created.status).toBe(200);
    const id = created.body.id as number;
    await expectInStep(id);
    // The create's answer is the stored JSON, signed.
    expect(created.body).toEqual(signOrderImages(s.deps.media.signer, JSON.parse(stored(s, id)!.json)));
    expect(JSON.parse(stored(s, id)!.images!)).toHaveLength(2); // one signable image: [start, end]

    expect(
      (await s.request("PATCH", `/pedidos/${id}`, { body: { observacao: "mudou", prioridade: "ALTA", status: "em_producao" }, token }))
        .status,
    ).toBe(200);
    await expectInStep(id);

    const items = (await s.request("GET", `/pedidos/${id}`, { token })).body.items;
    const patched = await s.request("PATCH", `/pedidos/${id}`, {
      body: { items: [{ ...items[1], descricao: "b2" }, item("novo", { imagem: dataUrl(makePng(3, 3)) })] }, // a removed, b kept, one added
      token,
    });
    expect(patched.status).toBe(200);
    await expectInStep(id);

    const keep = patched.body.items[0].id as number;
    expect((await s.request("PATCH", `/pedidos/pedido-itens/${keep}`, { body: { largura: "2", altura: "3" }, token })).status).toBe(200);
    await expectInStep(id);

    expect((await s.request("POST", "/pedidos/batch-status", { body: { id_pedidos: [id], status: "pronto" }, token })).status).toBe(200);
    await expectInStep(id);

    expect((await s.request("PATCH", `/designers/itens/${keep}/status-arte`, { body: { status_arte: "liberado" }, token })).status).toBe(
      200,
    );
    await expectInStep(id);
    expect((await s.request("POST", `/designers/itens/${keep}/comentarios`, { body: { texto: "ok" }, token })).status).toBeLessThan(300);
    await expectInStep(id);

    // Image replaced, then cleared.
    const now = (await s.request("GET", `/pedidos/${id}`, { token })).body.items;
    expect(
      (
        await s.request("PATCH", `/pedidos/${id}`, {
          body: { items: [{ ...now[0] }, { ...now[1], imagem: dataUrl(makePng(5, 5)) }] },
          token,
        })
      ).status,
    ).toBe(200);
    await expectInStep(id);
    expect(
      (await s.request("PATCH", `/pedidos/${id}`, { body: { items: [{ ...now[0] }, { ...now[1], imagem: null }] }, token })).status,
    ).toBe(200);
    await expectInStep(id);
    expect(stored(s, id)!.images).toBeNull();

    const draft = await s.request("POST", "/pedidos/rascunho", { body: { cliente: "Rascunho", items: [item("r")] }, token });
    expect(draft.status).toBe(200);
    await expectInStep(draft.body.id);
    expect((await s.request("POST", `/pedidos/${draft.body.id}/promover`, { token })).status).toBe(200);
    await expectInStep(draft.body.id);

    expect((await s.request("DELETE", `/pedidos/${id}`, { token })).status).toBe(200);
    expect(stored(s, id)).toBeUndefined();
    expect((await s.request("GET", `/pedidos/${id}`, { token })).status).toBe(404);
  });

  it("a change that bypasses the hooks (plain SQL) removes the stored JSON at once: reads see the rows, never stale bytes", async () => {
    const r = await s.request("POST", "/pedidos/", { body: { cliente: "Direto", data_entrada: "2026-11-29", items: [item("x")] }, token });
    const id = r.body.id as number;
    expect(stored(s, id)).toBeTruthy();
    s.deps.db.writeSync((tx) => tx.run("UPDATE pedidos SET cliente = 'Mudado por fora' WHERE id = ?", id));
    expect(stored(s, id)).toBeUndefined();
    expect((await s.request("GET", `/pedidos/${id}`, { token })).body.cliente).toBe("Mudado por fora");
    const listed = (await s.request("GET", "/pedidos/", { token })).body;
    expect(listed.find((o: { id: number }) => o.id === id).cliente).toBe("Mudado por fora");
    s.deps.db.writeSync((tx) => tx.run("UPDATE pedido_itens SET data = json_set(data, '$.descricao', 'y') WHERE pedido_id = ?", id));
    expect((await s.request("GET", `/pedidos/${id}`, { token })).body.items[0].descricao).toBe("y");
    // The next write through the hooks stores it again, in step.
    await s.request("PATCH", `/pedidos/${id}`, { body: { observacao: "de volta" }, token });
    await expectInStep(id);
  });

  it("the list writes the stored bytes through: equal to each GET, images signed", async () => {
    const r = await s.request("POST", "/pedidos/", {
      body: { cliente: "Lista Img", data_entrada: "2026-11-29", items: [item("i", { imagem: dataUrl(makePng(2, 2)) })] },
      token,
    });
    const listed = (await s.request("GET", "/pedidos/?cliente=lista img", { token })).body;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toEqual((await s.request("GET", `/pedidos/${r.body.id}`, { token })).body);
    expect(listed[0].items[0].imagem).toMatch(/^\/pedidos\/imagens\/\d+\?exp=\d+&sig=/);
  });
});

describe("starts and migrations", () => {
  it("a start refills missing stored JSON, and rebuilds all of it when the triggers or the serializer changed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sgp-json-"));
    try {
      let t = await startTestServer({ dir });
      const ids: number[] = [];
      for (let i = 0; i < 3; i++)
        ids.push(
          (
            await t.request("POST", "/pedidos/", {
              body: { cliente: `C${i}`, data_entrada: "2026-11-29", items: [item("z")] },
              token: t.adminToken,
            })
          ).body.id,
        );
      const before = ids.map((id) => stored(t, id)!.json);
      t.deps.db.raw.exec(`DELETE FROM pedido_json WHERE pedido_id = ${ids[0]}`);
      t.deps.db.raw.exec(`UPDATE pedido_json SET json = '{"stale":true}' WHERE pedido_id = ${ids[1]}`);
      t.deps.db.raw.exec("UPDATE sequences SET value = value + 1 WHERE name = 'pedido_json_formato'"); // as if written by another serializer
      await t.stop();
      t = await startTestServer({ dir });
      expect(ids.map((id) => stored(t, id)?.json)).toEqual(before);
      t.deps.db.raw.exec("DROP TRIGGER tr_pedido_json_itens_upd"); // as a later migration rebuilding a table would
      t.deps.db.raw.exec(`UPDATE pedido_json SET json = '{"stale":true}' WHERE pedido_id = ${ids[2]}`);
      await t.stop();
      t = await startTestServer({ dir });
      expect(stored(t, ids[2])!.json).toBe(before[2]);
      expect(
        t.deps.db.raw.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'tr_pedido_json_%'").get(),
      ).toMatchObject({ n: 6 });
      await t.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("migration 011 fills the stored JSON of orders taken over from the original", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sgp-json-legacy-"));
    try {
      createLegacyDatabase(join(dir, "sgp.db"));
      const t = await startTestServer({ dir, env: { SGP_ADMIN_USER: "admin", SGP_ADMIN_PASSWORD: "senha-antiga-1" } });
      const orders = t.deps.db.raw.prepare("SELECT id FROM pedidos ORDER BY id").all() as { id: number }[];
      expect(orders.length).toBeGreaterThan(0);
      for (const { id } of orders) {
        const row = stored(t, id);
        expect(row, `legacy order ${id}`).toBeTruthy();
        expect(row!.json).toBe(fresh(t, id)!.json.toString("utf8"));
        expect((await t.request("GET", `/pedidos/${id}`, { token: t.adminToken })).body).toEqual(
          signOrderImages(t.deps.media.signer, JSON.parse(row!.json)),
        );
      }
      await t.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
