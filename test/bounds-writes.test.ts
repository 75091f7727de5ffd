import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeFileSync, rmSync, mkdirSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { mediaFsError } from "../lib/media/files.ts";
import { ORDER_LIMITS } from "../lib/orders/limits.ts";
import { makePng } from "./helpers/images.ts";

// Issue 15, the write side: no single write can stall everyone, and bad input is a clear 422 that writes nothing.
let s: TestServer;
const count = () => s.deps.db.writeSync((tx) => tx.get<{ n: number }>("SELECT COUNT(*) AS n FROM pedidos")!.n);
const post = (body: unknown) => s.request("POST", "/pedidos/", { token: s.adminToken, body });
const base = { cliente: "Limites", data_entrada: "2026-11-20" };

beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.stop());

describe("order size limits (ORDER_LIMITS)", () => {
  it("100,000 items are refused at once with 422 (and /health is answered right after)", async () => {
    const before = count();
    const r = await post({ ...base, items: Array.from({ length: 100_000 }, () => ({ tipo_producao: "painel" })) });
    expect(r.status).toBe(422);
    expect(JSON.stringify(r.body.detail)).toMatch(/Itens demais|JSON grande demais/);
    expect((await s.request("GET", "/health")).status).toBe(200);
    expect(count()).toBe(before);
    // The limit itself: 500 items pass, 501 do not.
    expect((await post({ ...base, items: Array.from({ length: ORDER_LIMITS.items }, () => ({ tipo_producao: "painel" })) })).status).toBe(
      200,
    );
    const over = await post({ ...base, items: Array.from({ length: ORDER_LIMITS.items + 1 }, () => ({ tipo_producao: "painel" })) });
    expect(over.status).toBe(422);
    expect(over.body.detail[0]).toMatchObject({ loc: ["body", "items"], msg: "Itens demais: no máximo 500 por pedido" });
  });

  it("text fields beyond 10,000 characters, in the order or in an item, are 422 naming the field", async () => {
    const before = count();
    const long = "x".repeat(ORDER_LIMITS.textChars + 1);
    const top = await post({ ...base, observacao: long });
    expect(top.status).toBe(422);
    expect(top.body.detail[0].loc).toEqual(["body", "observacao"]);
    const inItem = await post({ ...base, items: [{ tipo_producao: "painel", descricao: long }] });
    expect(inItem.status).toBe(422);
    expect(inItem.body.detail[0].loc).toEqual(["body", "items", 0]);
    const cliente = await post({ ...base, cliente: "c".repeat(ORDER_LIMITS.clienteChars + 1) });
    expect(cliente.status).toBe(422);
    expect(count()).toBe(before);
    // The same on a PATCH: the order stays as it was.
    const o = (await post(base)).body;
    expect((await s.request("PATCH", `/pedidos/${o.id}`, { token: s.adminToken, body: { observacao: long } })).status).toBe(422);
    expect((await s.request("GET", `/pedidos/${o.id}`, { token: s.adminToken })).body.observacao).toBe(o.observacao);
  });

  it("an order whose items would store more than 1 MB is 422, and nothing is written", async () => {
    const before = count();
    const items = Array.from({ length: 120 }, (_, i) => ({ tipo_producao: "painel", descricao: `${i} ${"d".repeat(9_500)}` }));
    const r = await post({ ...base, items });
    expect(r.status).toBe(422);
    expect(r.body.detail[0].msg).toMatch(/Itens grandes demais/);
    expect(count()).toBe(before);
    const orphans = s.deps.db.writeSync(
      (tx) => tx.get<{ n: number }>("SELECT COUNT(*) AS n FROM pedido_itens WHERE pedido_id NOT IN (SELECT id FROM pedidos)")!.n,
    );
    expect(orphans).toBe(0);
  });

  it("a body of more than 20,000 objects is refused before it is parsed", async () => {
    const raw = JSON.stringify({ ...base, items: [{ lista: Array.from({ length: 25_000 }, () => ({})) }] });
    const r = await s.request("POST", "/pedidos/", { token: s.adminToken, raw, headers: { "content-type": "application/json" } });
    expect(r.status).toBe(422);
    expect(r.body.detail[0].msg).toMatch(/JSON grande demais/);
  });
});

describe("NUL in text", () => {
  it("an escaped NUL anywhere in a JSON body, or in a query, is 422 (never stored cut at the NUL)", async () => {
    const before = count();
    for (const body of [
      { ...base, cliente: "A\u0000B" },
      { ...base, items: [{ descricao: "x\u0000y" }] },
    ]) {
      const r = await post(body);
      expect(r.status).toBe(422);
      expect(r.body.detail[0]).toMatchObject({ loc: ["body"], type: "string_nul" });
    }
    expect(count()).toBe(before);
    // An escaped backslash followed by "u0000" is text, not a NUL.
    const ok = await s.request("POST", "/pedidos/", {
      token: s.adminToken,
      raw: '{"cliente":"A\\\\u0000B","data_entrada":"2026-11-20"}',
      headers: { "content-type": "application/json" },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.cliente).toBe("A\\u0000B");
    const q = await s.request("GET", "/pedidos/?cliente=a%00b", { token: s.adminToken });
    expect(q.status).toBe(422);
    expect(q.body.detail[0].loc).toEqual(["query", "cliente"]);
  });
});

describe("money and numbering", () => {
  it("negative or unreadable freight and item values are the same 422; nothing is priced at 0.00 silently", async () => {
    const before = count();
    const msgs = new Set<string>();
    for (const extra of [
      { valor_frete: -10 },
      { valor_frete: "-1,00" },
      { valor_frete: "1e21" },
      { valor_frete: 1e308 },
      { items: [{ tipo_producao: "painel", valor_painel: "NaN" }] },
      { items: [{ tipo_producao: "painel", valor_painel: 1e308 }] },
      { items: [{ tipo_producao: "painel", valor_painel: "99999999999999" }] },
      { items: [{ tipo_producao: "totem", valor_unitario: "-5" }] },
      { items: [{ tipo_producao: "painel", valor_painel: "10", tipo_acabamento: "ilhos", valor_ilhos: "abc" }] },
    ]) {
      const r = await post({ ...base, ...extra });
      expect(r.status, JSON.stringify(extra)).toBe(422);
      msgs.add(r.body.detail[0].msg);
    }
    expect([...msgs]).toEqual([expect.stringMatching(/^Valor monetário inválido/)]);
    expect(count()).toBe(before);
  });

  it("the largest amounts sum exactly, to the cent", async () => {
    const r = await post({
      ...base,
      valor_frete: "99.999.999,99",
      items: Array.from({ length: 3 }, () => ({ tipo_producao: "totem", valor_unitario: 99999999.99, quantidade_totem: "1000" })),
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ valor_frete: "99999999.99", valor_itens: "299999999970.00", valor_total: "300099999969.99" });
  });

  it("numero: digits only, at most 10; a client's huge numero cannot push every later order to 16 digits", async () => {
    const before = count();
    for (const numero of ["999999999999999", 1e21, "-1", "abc", "1".repeat(10_000), "12 34"]) {
      const r = await post({ ...base, numero });
      expect(r.status, String(numero)).toBe(422);
      expect(r.body.detail[0].loc).toEqual(["body", "numero"]);
    }
    expect(count()).toBe(before);
    const top = await post({ ...base, numero: "9999999990" });
    expect(top.status).toBe(200);
    const next = await post(base);
    expect(next.body.numero).toBe("9999999991");
  });
});

describe("file-system faults are 507/503 with a detail, and leave no partial file", () => {
  it("a file where the staging folder should be: 503 naming the cause, no order, no file", async () => {
    const staging = join(s.dir, "media", "pedidos", ".staging");
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(join(s.dir, "media", "pedidos"), { recursive: true });
    writeFileSync(staging, "not a folder");
    try {
      const before = count();
      const png = Buffer.from(makePng(4, 4)).toString("base64");
      const r = await post({ ...base, items: [{ tipo_producao: "painel", imagem: `data:image/png;base64,${png}` }] });
      expect(r.status).toBe(503);
      expect(r.body.detail).toMatch(/pasta de mídia/);
      expect(r.headers.get("x-request-id")).toBeTruthy();
      expect(count()).toBe(before);
    } finally {
      rmSync(staging, { force: true });
    }
    // Healthy again once the folder is back.
    const png = Buffer.from(makePng(4, 4)).toString("base64");
    expect((await post({ ...base, items: [{ tipo_producao: "painel", imagem: `data:image/png;base64,${png}` }] })).status).toBe(200);
    expect(existsSync(staging) ? readdirSync(staging).length : 0).toBe(0);
  });

  it("the mapping: full disk 507, permissions and read-only 503, anything else untouched", () => {
    const fault = (code: string) => mediaFsError(Object.assign(new Error(code), { code })) as { status?: number; detail?: string };
    expect(fault("ENOSPC")).toMatchObject({ status: 507, detail: expect.stringMatching(/Espaço em disco/) });
    for (const code of ["EACCES", "EPERM", "EROFS"])
      expect(fault(code)).toMatchObject({ status: 503, detail: expect.stringMatching(/permissão/) });
    for (const code of ["ENOTDIR", "EEXIST"]) expect(fault(code)).toMatchObject({ status: 503, detail: expect.stringMatching(/pasta/) });
    const other = new Error("bug");
    expect(mediaFsError(other)).toBe(other);
  });
});
