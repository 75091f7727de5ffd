// Sheet layouts (`/fichas/templates`) and HTML templates (`/fichas/templates/html…`) over real HTTP: the original's
// defaults, round trips that keep unknown keys, admin-only writes, and HTML that is only ever text to us.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, readFileSync, readdirSync, symlinkSync, mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestServer, type TestServer } from "./helpers/server.ts";

let s: TestServer;
let token: string;
let media: string;

beforeAll(async () => {
  s = await startTestServer();
  media = join(s.dir, "media");
  token = (await s.createUser("layout-user", "layout-pass-123")).token;
});
afterAll(async () => s?.stop());

const admin = () => s.adminToken;

describe("sheet layouts", () => {
  it("answers the original's defaults while none is stored", async () => {
    const r = await s.request("GET", "/fichas/templates", { token });
    expect(r.status).toBe(200);
    const { geral, resumo } = r.body;
    expect(geral).toMatchObject({
      templateType: "geral",
      updatedAt: expect.stringMatching(/Z$/),
      title: "FICHA DE SERVIÇO - GERAL",
      width: 210,
      height: 297,
      marginTop: 10,
      marginBottom: 10,
      marginLeft: 15,
      marginRight: 15,
    });
    expect(geral.fields.map((f: any) => f.key)).toEqual(["title", "numero", "cliente", "item_name"]);
    expect(geral.fields[0]).toEqual({
      id: "title_field",
      type: "text",
      label: "FICHA DE SERVIÇO",
      key: "title",
      x: 70,
      y: 10,
      width: 70,
      height: 10,
      fontSize: 16,
      bold: true,
      visible: true,
      editable: true,
      imageUrl: null,
    });
    expect(geral.fields[1]).toMatchObject({ id: "numero_os_field", label: "OS:", fontSize: 11, bold: null, visible: true, editable: true });
    expect(resumo).toMatchObject({
      templateType: "resumo",
      title: "FICHA DE SERVIÇO - RESUMO PRODUÇÃO",
      width: 70,
      height: 99,
      marginTop: 3,
      marginBottom: 3,
      marginLeft: 5,
      marginRight: 5,
    });
    expect(resumo.fields.map((f: any) => f.key)).toEqual(["numero", "item_name", "dimensoes", "quantity", "tecido"]);
    expect(resumo.fields.find((f: any) => f.key === "quantity").type).toBe("number");
  });

  it("PUT (admin) stores both, fills field defaults, keeps unknown keys, and GET answers the same", async () => {
    const current = (await s.request("GET", "/fichas/templates", { token })).body;
    const geral = {
      ...current.geral,
      title: "Minha ficha",
      width: "200", // the original's parser took numbers as strings
      corFundo: "#fff", // unknown layout key: kept
      templateType: "resumo", // the server owns it: ignored
      updatedAt: "2000-01-01T00:00:00Z",
      fields: [
        {
          id: "logo",
          type: "image",
          label: "",
          key: "logo",
          x: 1,
          y: 2,
          width: 30,
          height: 10,
          imageUrl: "data:image/png;base64,AAAA",
          zIndex: 3,
        },
        {
          id: "obs",
          type: "text",
          label: "Obs:",
          key: "observacao",
          x: 1,
          y: 20,
          width: 100,
          height: 6,
          fontSize: null,
          bold: "true",
          visible: 0,
        },
      ],
    };
    const put = await s.request("PUT", "/fichas/templates", { token: admin(), body: { geral, resumo: current.resumo } });
    expect(put.status).toBe(200);
    expect(put.body.geral).toMatchObject({ templateType: "geral", title: "Minha ficha", width: 200, corFundo: "#fff" });
    expect(put.body.geral.updatedAt).not.toBe("2000-01-01T00:00:00Z");
    expect(put.body.geral.fields).toEqual([
      {
        id: "logo",
        type: "image",
        label: "",
        key: "logo",
        x: 1,
        y: 2,
        width: 30,
        height: 10,
        fontSize: 11,
        bold: null,
        visible: true,
        editable: true,
        imageUrl: "data:image/png;base64,AAAA",
        zIndex: 3,
      },
      {
        id: "obs",
        type: "text",
        label: "Obs:",
        key: "observacao",
        x: 1,
        y: 20,
        width: 100,
        height: 6,
        fontSize: 11,
        bold: true,
        visible: false,
        editable: true,
        imageUrl: null,
      },
    ]);
    expect(put.body.resumo).toMatchObject({ templateType: "resumo", title: current.resumo.title, fields: current.resumo.fields });
    const again = await s.request("GET", "/fichas/templates", { token });
    expect(again.body).toEqual(put.body);
    // A second PUT replaces, never duplicates.
    const second = await s.request("PUT", "/fichas/templates", {
      token: admin(),
      body: { geral: { ...again.body.geral, title: "De novo" }, resumo: again.body.resumo },
    });
    expect(second.body.geral.title).toBe("De novo");
    expect((s.deps.db.raw.prepare("SELECT COUNT(*) AS n FROM ficha_templates").get() as any).n).toBe(2);
  });

  it("writes are admin only; bad layouts are 422 and leave what was stored", async () => {
    const before = (await s.request("GET", "/fichas/templates", { token })).body;
    const forbidden = await s.request("PUT", "/fichas/templates", { token, body: before });
    expect(forbidden.status).toBe(403);
    const bad: unknown[] = [
      {},
      { geral: before.geral },
      { geral: { ...before.geral, width: "largo" }, resumo: before.resumo },
      { geral: { ...before.geral, fields: [{ ...before.geral.fields[0], type: "script" }] }, resumo: before.resumo },
      { geral: { ...before.geral, fields: [{ id: "x" }] }, resumo: before.resumo },
      { geral: { ...before.geral, fields: "nada" }, resumo: before.resumo },
      [before.geral, before.resumo],
    ];
    for (const body of bad) {
      const r = await s.request("PUT", "/fichas/templates", { token: admin(), body });
      expect(r.status, JSON.stringify(body).slice(0, 60)).toBe(422);
      expect(Array.isArray(r.body.detail)).toBe(true);
    }
    expect((await s.request("GET", "/fichas/templates", { token })).body).toEqual(before);
  });
});

describe("HTML templates", () => {
  const html = '<!doctype html><html><body><h1>OS {{numero}}</h1><script>alert("xss")</script></body></html>';

  it("is empty at first: {exists:false}, content null, the raw route 404", async () => {
    const list = await s.request("GET", "/fichas/templates/html", { token: admin() });
    expect(list.body).toEqual({ templates: { geral: { exists: false }, resumo: { exists: false } }, templates_dir: "templates" });
    expect((await s.request("GET", "/fichas/templates/html/geral/content?t=123", { token })).body).toEqual({ html: null, exists: false });
    const raw = await s.request("GET", "/fichas/templates/html/geral", { token: admin() });
    expect(raw.status).toBe(404);
    expect(raw.body.detail).toBe("Template HTML 'geral' não encontrado");
  });

  it("PUT (admin) writes the files the original wrote; they come back as text only", async () => {
    const put = await s.request("PUT", "/fichas/templates/html", { token: admin(), body: { geral: html, resumo: "<p>resumo</p>" } });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({
      message: "Templates HTML salvos com sucesso",
      files: { geral: "templates/template-geral.html", resumo: "templates/template-resumo.html" },
    });
    expect(readFileSync(join(media, "templates", "template-geral.html"), "utf8")).toBe(html);
    // No leftover temporary files beside them.
    expect(readdirSync(join(media, "templates")).sort()).toEqual(["template-geral.html", "template-resumo.html"]);

    const content = await s.request("GET", "/fichas/templates/html/geral/content", { token });
    expect(content.body).toEqual({ html, exists: true });
    expect(content.headers.get("content-type")).toMatch(/^application\/json/);

    const raw = await fetch(`${s.url}/fichas/templates/html/geral`, { headers: { authorization: `Bearer ${admin()}` } });
    expect(raw.status).toBe(200);
    expect(raw.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(raw.headers.get("x-content-type-options")).toBe("nosniff");
    expect(raw.headers.get("content-security-policy")).toContain("sandbox");
    expect(await raw.text()).toBe(html);

    const list = (await s.request("GET", "/fichas/templates/html", { token: admin() })).body;
    expect(list.templates.geral).toEqual({
      exists: true,
      size: Buffer.byteLength(html),
      modified: expect.stringMatching(/Z$/),
      path: "templates/template-geral.html",
    });
    expect(list.templates.resumo.exists).toBe(true);
  });

  it("an empty or absent template leaves its file as it is; a blank file reads as missing", async () => {
    const put = await s.request("PUT", "/fichas/templates/html", { token: admin(), body: { geral: "", resumo: "   " } });
    expect(put.body.files).toEqual({ resumo: "templates/template-resumo.html" });
    expect(readFileSync(join(media, "templates", "template-geral.html"), "utf8")).toBe(html);
    expect((await s.request("GET", "/fichas/templates/html/resumo/content", { token })).body).toEqual({ html: null, exists: false });
    expect((await s.request("PUT", "/fichas/templates/html", { token: admin(), body: {} })).body.files).toEqual({});
  });

  it("guards: admin-only writes and reads of the raw file, any user for /content; bad input is 4xx", async () => {
    expect((await s.request("PUT", "/fichas/templates/html", { token, body: { geral: "x" } })).status).toBe(403);
    expect((await s.request("GET", "/fichas/templates/html", { token })).status).toBe(403);
    expect((await s.request("GET", "/fichas/templates/html/geral", { token })).status).toBe(403);
    expect((await s.request("GET", "/fichas/templates/html/geral/content", {})).status).toBe(401);
    expect((await s.request("GET", "/fichas/templates/html/outro/content", { token })).status).toBe(404);
    expect((await s.request("GET", "/fichas/templates/html/..%2F..%2Fsgp.db", { token: admin() })).status).toBe(404);
    expect((await s.request("PUT", "/fichas/templates/html", { token: admin(), body: { geral: 42 } })).status).toBe(422);
    const big = await s.request("PUT", "/fichas/templates/html", {
      token: admin(),
      body: { geral: "a", resumo: "x".repeat(5 * 1024 * 1024 + 1) },
    });
    expect(big.status).toBe(413);
    expect(big.body.detail).toMatch(/resumo/);
    // Nothing of a refused PUT is written, not even the valid half.
    expect(readFileSync(join(media, "templates", "template-geral.html"), "utf8")).toBe(html);
  });

  it("never follows a symlink out of the media root", async () => {
    const outside = mkdtempSync(join(tmpdir(), "sgp-outside-"));
    try {
      writeFileSync(join(outside, "secret.html"), "segredo");
      rmSync(join(media, "templates", "template-resumo.html"));
      symlinkSync(join(outside, "secret.html"), join(media, "templates", "template-resumo.html"));
      expect((await s.request("GET", "/fichas/templates/html/resumo/content", { token })).body).toEqual({ html: null, exists: false });
      expect((await s.request("GET", "/fichas/templates/html/resumo", { token: admin() })).status).toBe(404);
      expect((await s.request("GET", "/fichas/templates/html", { token: admin() })).body.templates.resumo).toEqual({ exists: false });
    } finally {
      rmSync(join(media, "templates", "template-resumo.html"), { force: true });
      rmSync(outside, { recursive: true, force: true });
    }
    expect(existsSync(join(media, "templates", "template-geral.html"))).toBe(true);
  });
});
