// Issue 15 #2 (read side) and issue 19: the unbounded list (`limit` absent or 10001, what the client's "Todos" tab
// asks) is streamed from the stored wire JSON in chunks, pulled only as fast as the client reads: a slow or
// stalled reader never makes the server hold the whole list, and the list stays whole and exact.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request } from "node:http";
import { gunzipSync } from "node:zlib";
import * as v from "valibot";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { sleep } from "./helpers/ws.ts";
import { createOrder } from "../lib/orders/write.ts";
import { createOrderSchema } from "../lib/orders/schemas.ts";
import { PedidoList } from "../lib/orders/wire-schemas.ts";
import { wireIssues } from "../lib/wire-schemas.ts";

let s: TestServer;
const ORDERS = 300;

beforeAll(async () => {
  // Response validation drains a stream into one body (runtime/mount.ts `checkResponse`): this file checks the
  // streaming itself (chunked, backpressure, memo), so it runs as production does; the shape is checked below.
  s = await startTestServer({ env: { SGP_VALIDATE_RESPONSES: "0" } });
  const actor = { id: 1, username: "admin", isAdmin: true };
  // ~66 KB each (five items with long texts): ~20 MB of JSON, far more than the kernel's socket buffers hold.
  const body = (i: number) =>
    v.parse(createOrderSchema, {
      cliente: `Cliente ${i}`,
      data_entrada: "2026-11-29",
      items: Array.from({ length: 5 }, (_, k) => ({
        tipo_producao: "painel",
        descricao: `Item ${i}-${k} ${"descrição longa ".repeat(600)}`,
        valor_unitario: "10.00",
      })),
    });
  s.deps.db.writeSync((tx) => {
    for (let i = 0; i < ORDERS; i++) createOrder(tx, body(i), actor);
  });
});
afterAll(async () => s?.stop());

type Raw = { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer };
function get(
  path: string,
  headers: Record<string, string> = {},
  onResponse?: (res: import("node:http").IncomingMessage) => void,
): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(s.url + path, { headers: { authorization: `Bearer ${s.adminToken}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res
        .on("data", (c: Buffer) => chunks.push(c))
        .on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      onResponse?.(res);
    });
    req.on("error", reject);
    req.end();
  });
}

/** Counts the database reads the list's producer makes (the only reads while this test's requests run). */
function countReads(): { readonly n: number; stop(): void } {
  const db = s.deps.db;
  const read = db.read;
  let n = 0;
  db.read = ((fn) => {
    n++;
    return read.call(db, fn);
  }) as typeof db.read;
  return {
    get n() {
      return n;
    },
    stop: () => void (db.read = read),
  };
}

describe("GET /pedidos/?limit=10001 over a large table", () => {
  it("streams it (chunked, no length), whole and exact, gzip too", async () => {
    const plain = await get("/pedidos/?skip=0&limit=10001");
    expect(plain.status).toBe(200);
    expect(plain.headers["content-length"]).toBeUndefined();
    expect(plain.headers["transfer-encoding"]).toBe("chunked");
    const orders = JSON.parse(plain.body.toString("utf8"));
    expect(orders).toHaveLength(ORDERS);
    expect(wireIssues(PedidoList, orders)).toEqual([]);
    expect(orders[0]).toEqual((await s.request("GET", `/pedidos/${orders[0].id}`, { token: s.adminToken })).body);
    const zipped = await get("/pedidos/?skip=0&limit=10001", { "accept-encoding": "gzip" });
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
    expect(zipped.body.length).toBeLessThan(plain.body.length / 10);
  });

  it("produces the list only as fast as the client reads it: a stalled reader holds a few chunks, not the list", async () => {
    const reads = countReads();
    let paused: import("node:http").IncomingMessage | null = null;
    const done = get("/pedidos/", {}, (res) => {
      res.pause();
      paused = res;
    });
    while (!paused) await sleep(5);
    await sleep(300);
    const whileStalled = reads.n;
    (paused as import("node:http").IncomingMessage).resume();
    const r = await done;
    reads.stop();
    expect(JSON.parse(r.body.toString("utf8"))).toHaveLength(ORDERS);
    // About 20 MB in ~256 KB chunks takes ~80 reads; a stalled reader lets the server run ahead by the kernel's
    // socket buffers only (a few MB), never the whole list.
    expect(reads.n).toBeGreaterThan(40);
    expect(whileStalled).toBeLessThan(reads.n / 2);
  });

  it("a small list is one body with its length; a client leaving mid-stream leaves the server healthy", async () => {
    const small = await get("/pedidos/?limit=2");
    expect(small.headers["content-length"]).toBe(String(small.body.length));
    expect(JSON.parse(small.body.toString("utf8"))).toHaveLength(2);
    await new Promise<void>((resolve) => {
      const req = request(`${s.url}/pedidos/`, { headers: { authorization: `Bearer ${s.adminToken}` } }, (res) => {
        res.once("data", () => {
          req.destroy();
          resolve();
        });
      });
      req.on("error", () => resolve());
      req.end();
    });
    await sleep(50);
    expect((await s.request("GET", "/health")).status).toBe(200);
    expect(JSON.parse((await get("/pedidos/?limit=3")).body.toString("utf8"))).toHaveLength(3);
  });
});

describe("the response memo", () => {
  it("answers an unchanged list from memory, and never after any change to an order (API or plain SQL)", async () => {
    const path = "/pedidos/?skip=0&limit=501&is_pronto=false";
    const first = await get(path, { "accept-encoding": "gzip" });
    const reads = countReads();
    const again = await get(path, { "accept-encoding": "gzip" });
    reads.stop();
    expect(again.body.equals(first.body)).toBe(true);
    expect(reads.n).toBe(2); // the session check and the change counter: no ids, no JSON read
    const one = JSON.parse(gunzipSync(first.body).toString("utf8"))[0];
    await s.request("PATCH", `/pedidos/${one.id}`, { body: { observacao: "mudou pela API" }, token: s.adminToken });
    const afterApi = JSON.parse(gunzipSync((await get(path, { "accept-encoding": "gzip" })).body).toString("utf8"));
    expect(afterApi.find((o: { id: number }) => o.id === one.id).observacao).toBe("mudou pela API");
    s.deps.db.writeSync((tx) =>
      tx.run("UPDATE pedido_itens SET data = json_set(data, '$.descricao', 'por fora') WHERE pedido_id = ?", one.id),
    );
    const afterSql = JSON.parse(gunzipSync((await get(path, { "accept-encoding": "gzip" })).body).toString("utf8"));
    expect(afterSql.find((o: { id: number }) => o.id === one.id).items[0].descricao).toBe("por fora");
    // Another viewer's ordering is another entry (the admin's differs from a plain user's).
    const user = await s.createUser("leitor", "leitor-pass-1");
    const asUser = await new Promise<Buffer>((resolve) =>
      request(s.url + path, { headers: { authorization: `Bearer ${user.token}` } }, (res) => {
        const cs: Buffer[] = [];
        res.on("data", (c: Buffer) => cs.push(c)).on("end", () => resolve(Buffer.concat(cs)));
      }).end(),
    );
    expect(JSON.parse(asUser.toString("utf8")).map((o: { id: number }) => o.id)).toEqual(
      (await s.request("GET", path, { token: user.token })).body.map((o: { id: number }) => o.id),
    );
  });
});
