// A database and media folder of the original, taken over: its fichas, sheet layout and HTML template, with their
// files, served and edited like ours.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLegacyDatabase, LEGACY_FICHA_FILES, writeLegacyMedia } from "./fixtures/legacy-db.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { dataUrl, makePng } from "./helpers/images.ts";

let dir: string;
let s: TestServer;
let token: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sgp-legacy-fichas-"));
  createLegacyDatabase(join(dir, "sgp.db"));
  writeLegacyMedia(join(dir, "media"));
  s = await startTestServer({ dir, env: { SGP_ADMIN_USER: "admin", SGP_ADMIN_PASSWORD: "senha-antiga-1" } });
  token = s.adminToken;
});
afterAll(async () => {
  await s?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const fetchBytes = async (path: string) => {
  const res = await fetch(s.url + path);
  return { status: res.status, type: res.headers.get("content-type"), bytes: Buffer.from(await res.arrayBuffer()) };
};

describe("legacy fichas taken over", () => {
  it("keeps every ficha, with ISO timestamps, '/' paths and the dangling cliente cleared", async () => {
    const list = (await s.request("GET", "/fichas/", { token })).body;
    expect(list.map((f: any) => f.id).sort()).toEqual([1, 2, 3]);
    const two = (await s.request("GET", "/fichas/2", { token })).body;
    expect(two).toEqual({
      id: 2,
      client_id: 1,
      nome: "Banner João",
      descricao: "frente e verso",
      imagem_path: "fichas/2/a1b2c3.png",
      imagem_url: expect.stringMatching(/^\/fichas\/imagens\/2\?exp=\d+&sig=/),
      data_criacao: "2025-03-01T12:00:00.123Z",
      ultima_atualizacao: "2025-03-02T08:00:00.000Z",
    });
    expect((await s.request("GET", "/fichas/3", { token })).body).toMatchObject({ client_id: null, imagem_path: "fichas/3/d4e5f6.jpg" });
    expect((await s.request("GET", "/fichas/1", { token })).body).toMatchObject({
      nome: "ficha",
      imagem_path: null,
      imagem_url: null,
      data_criacao: null,
    });
    expect(s.deps.db.raw.prepare("PRAGMA foreign_key_check").all()).toEqual([]);
  });

  it("serves their files from the original's layout", async () => {
    const two = (await s.request("GET", "/fichas/2", { token })).body;
    const three = (await s.request("GET", "/fichas/3", { token })).body;
    const a = await fetchBytes(two.imagem_url);
    expect([a.status, a.type]).toEqual([200, "image/png"]);
    expect(a.bytes.equals(LEGACY_FICHA_FILES["fichas/2/a1b2c3.png"])).toBe(true);
    const b = await fetchBytes(three.imagem_url);
    expect([b.status, b.type]).toEqual([200, "image/jpeg"]);
  });

  it("keeps the stored sheet layout (defaults filled, unknown keys kept); the missing one is the default", async () => {
    const { geral, resumo } = (await s.request("GET", "/fichas/templates", { token })).body;
    expect(geral).toMatchObject({
      templateType: "geral",
      updatedAt: "2025-02-01T10:00:00.500Z",
      title: "FICHA DA LOJA",
      width: 200,
      height: 280,
      marginTop: 8,
      marginBottom: 8,
      marginLeft: 12,
      marginRight: 12,
    });
    expect(geral.fields).toEqual([
      {
        id: "numero_os_field",
        type: "text",
        label: "OS:",
        key: "numero",
        x: 10,
        y: 25,
        width: 30,
        height: 6,
        fontSize: 12,
        bold: true,
        visible: true,
        editable: true,
        imageUrl: null,
      },
      {
        id: "cliente_field",
        type: "text",
        label: "Cliente:",
        key: "cliente",
        x: 10,
        y: 35,
        width: 80,
        height: 6,
        fontSize: 11,
        bold: null,
        visible: true,
        editable: true,
        imageUrl: null,
        cor: "#333",
      },
    ]);
    expect(resumo.title).toBe("FICHA DE SERVIÇO - RESUMO PRODUÇÃO");
  });

  it("keeps the original's HTML template file", async () => {
    const html = LEGACY_FICHA_FILES["templates/template-geral.html"].toString();
    expect((await s.request("GET", "/fichas/templates/html/geral/content", { token })).body).toEqual({ html, exists: true });
    expect((await s.request("GET", "/fichas/templates/html", { token })).body.templates.geral).toMatchObject({
      exists: true,
      size: html.length,
    });
  });

  it("edits them like ours: a replaced legacy image's file goes; new fichas continue after the legacy ids", async () => {
    const png = makePng(6, 6);
    const r = await s.request("PATCH", "/fichas/2", { token, body: { imagem_base64: dataUrl(png) } });
    expect(r.status).toBe(200);
    expect(r.body.imagem_path).toMatch(/^fichas\/2\/[0-9a-f]{32}\.png$/);
    expect(existsSync(join(dir, "media", "fichas", "2", "a1b2c3.png"))).toBe(false);
    expect(readFileSync(join(dir, "media", r.body.imagem_path)).equals(png)).toBe(true);
    expect((await s.request("POST", "/fichas/", { token, body: { nome: "nova" } })).body.id).toBe(4);
    expect((await s.request("DELETE", "/fichas/3", { token })).status).toBe(200);
    expect(existsSync(join(dir, "media", "fichas", "3"))).toBe(false);
  });
});
