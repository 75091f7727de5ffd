// The API explorer (/docs) in a real headless Chromium against the real server: Swagger UI from our own files
// (nothing loaded from anywhere else), every operation listed, the "Entrar" form, "Try it out" with the session's
// token; /docs and /openapi.json public, and off with API_DOCS=false.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { ADMIN, startTestServer, type TestServer } from "./helpers/server.ts";
import { launchBrowser, loopbackContext, type LoopbackContext } from "./helpers/browser.ts";
import { loadConfig } from "../lib/config.ts";

let s: TestServer;
let browser: Browser;
const contexts: LoopbackContext[] = [];

beforeAll(async () => {
  s = await startTestServer();
  browser = await launchBrowser();
}, 90_000);

afterAll(async () => {
  for (const c of contexts) await c.context.close().catch(() => {});
  await browser?.close();
  await s?.stop();
});

/** A page whose every request is recorded (and anything off the server's origin aborted), with its console errors. */
async function openDocs(): Promise<{ page: Page; requests: string[]; problems: string[]; ctx: LoopbackContext }> {
  const ctx = await loopbackContext(browser, s.url);
  contexts.push(ctx);
  const page = await ctx.context.newPage();
  const requests: string[] = [];
  const problems: string[] = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" || /Content Security Policy/i.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  const res = await page.goto(`${s.url}/docs`);
  expect(res?.status()).toBe(200);
  await page.waitForSelector(".opblock");
  return { page, requests, problems, ctx };
}

const versionIn = (html: string) => /\/docs\/swagger-ui-bundle\.js\?v=([0-9a-f]+)/.exec(html)![1];

describe("public, and served from our own files", () => {
  it("/openapi.json and /docs answer without a token", async () => {
    const spec = await s.request("GET", "/openapi.json", { token: null });
    expect(spec.status).toBe(200);
    expect(spec.body.openapi).toBe("3.1.0");
    expect(Object.keys(spec.body.paths).length).toBeGreaterThan(60);
    const page = await s.request("GET", "/docs", { token: null });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    // No inline script and nothing from another origin: the CSP says so, and the page keeps to it (below).
    const csp = page.headers.get("content-security-policy")!;
    expect(csp).toMatch(/script-src 'self';/);
    expect(csp).toMatch(/connect-src 'self';/);
    expect(csp).toMatch(/style-src 'self';/);
    expect(page.text).not.toMatch(/<script>(?!\s*<\/script>)|<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page.text).not.toMatch(/https?:\/\//);
    expect(page.text).toContain("Entrar");
  });

  it("files: versioned URLs cached for good, others revalidated (ETag, 304), gzipped once", async () => {
    const v = versionIn((await s.request("GET", "/docs")).text);
    const url = `${s.url}/docs/swagger-ui-bundle.js`;
    const pinned = await fetch(`${url}?v=${v}`, { headers: { "accept-encoding": "gzip" } });
    expect(pinned.status).toBe(200);
    expect(pinned.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(pinned.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(pinned.headers.get("content-encoding")).toBe("gzip");
    const js = await pinned.text();
    expect(js.length).toBeGreaterThan(1_000_000);
    expect(js).toContain("SwaggerUIBundle");
    const unpinned = await fetch(url, { headers: { "accept-encoding": "identity" } });
    expect(unpinned.headers.get("cache-control")).toBe("no-cache");
    expect(unpinned.headers.get("content-encoding")).toBeNull();
    expect((await unpinned.text()).length).toBe(js.length);
    const again = await fetch(url, { headers: { "if-none-match": unpinned.headers.get("etag")! } });
    expect(again.status).toBe(304);
    for (const [file, type] of [
      ["swagger-ui.css", "text/css"],
      ["sgp-docs.css", "text/css"],
      ["sgp-docs.js", "text/javascript"],
    ]) {
      const r = await fetch(`${s.url}/docs/${file}?v=${v}`);
      expect(r.status, file).toBe(200);
      expect(r.headers.get("content-type"), file).toMatch(new RegExp(`^${type}`));
    }
    // The source map is not shipped, so nothing points at it.
    expect(await (await fetch(`${s.url}/docs/swagger-ui.css`)).text()).not.toContain("sourceMappingURL");
  });
});

describe("the explorer in Chromium", () => {
  it("lists every operation and loads nothing from outside the server", async () => {
    const { page, requests, problems, ctx } = await openDocs();
    const spec = (await s.request("GET", "/openapi.json")).body as {
      paths: Record<string, Record<string, { operationId: string; tags: string[] }>>;
    };
    const expected = Object.values(spec.paths).flatMap((ops) =>
      Object.values(ops).flatMap((op) => op.tags.map((t) => `operations-${t}-${op.operationId}`)),
    );
    expect(expected.length).toBeGreaterThanOrEqual(90);
    // Swagger UI renders a long list lazily (what is on screen, 150 rows or more): scroll it through, as a reader would.
    const seen = new Set<string>();
    for (let y = 0; ; y += 600) {
      await page.evaluate((top) => window.scrollTo(0, top), y);
      await page.waitForTimeout(50);
      for (const id of await page.$$eval(".opblock", (els) => els.map((e) => e.id))) seen.add(id);
      if (await page.evaluate((top) => top + window.innerHeight >= document.documentElement.scrollHeight, y)) break;
      expect(y, "the list never ends").toBeLessThan(200_000);
    }
    expect(seen.size).toBeGreaterThanOrEqual(90);
    expect([...seen].sort()).toEqual([...new Set(expected)].sort());

    // The filter narrows it to one area: "GET /pedidos" is there, with its summary.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.fill(".operation-filter-input", "pedidos");
    const list = page.locator('.opblock-get:has(.opblock-summary-path[data-path="/pedidos"])').first();
    await expect.poll(() => list.isVisible()).toBe(true);
    expect(await list.locator(".opblock-summary-method").textContent()).toBe("GET");
    expect(await list.locator(".opblock-summary-description").textContent()).toBeTruthy();
    expect(await page.locator(".info .title").textContent()).toContain("SGP");

    expect(requests.length).toBeGreaterThanOrEqual(6);
    expect(requests.filter((u) => !u.startsWith(`${s.url}/`) && !u.startsWith("data:"))).toEqual([]);
    expect(ctx.foreign).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("logs in from the page, tries an authenticated GET, keeps the session over a reload, and logs out", async () => {
    const { page, requests, problems, ctx } = await openDocs();
    const sent: Record<string, string | undefined> = {};
    page.on("request", (r) => {
      if (new URL(r.url()).pathname === "/auth/me") sent.authorization = r.headers().authorization;
    });

    // A wrong password: the server's Portuguese message, no session.
    await page.fill("#sgp-entrar input[name=username]", ADMIN.username);
    await page.fill("#sgp-entrar input[name=password]", "senha-errada-1");
    await page.click("#sgp-entrar button[type=submit]");
    await expect.poll(() => page.locator("#sgp-aviso.sgp-erro").textContent()).toMatch(/senha|usuário|inválid/i);
    expect(await page.locator("#sgp-sessao").isVisible()).toBe(false);

    await page.fill("#sgp-entrar input[name=password]", ADMIN.password);
    await page.click("#sgp-entrar button[type=submit]");
    await page.waitForSelector("#sgp-sessao:not([hidden])");
    expect(await page.locator("#sgp-usuario").textContent()).toBe(ADMIN.username);
    // Swagger UI holds the token now, as if pasted into "Authorize".
    await expect.poll(() => page.locator(".auth-wrapper .authorize").getAttribute("class")).toMatch(/\blocked\b/);

    await page.fill(".operation-filter-input", "auth");
    const me = page.locator("#operations-auth-getAuthMe");
    await me.locator(".opblock-summary-control").click();
    // tryItOutEnabled: the operation opens ready to run.
    await me.locator("button.execute").click();
    const status = me.locator(".live-responses-table .response .response-col_status").first();
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toBe("200");
    expect(await me.locator(".live-responses-table .response .response-col_description").first().textContent()).toContain(
      `"username": "${ADMIN.username}"`,
    );
    expect(sent.authorization).toMatch(/^Bearer ey/);
    const token = sent.authorization!.slice("Bearer ".length);

    // persistAuthorization: a reload keeps the session, and the page says whose it is.
    await page.reload();
    await page.waitForSelector("#sgp-sessao:not([hidden])");
    expect(await page.locator("#sgp-usuario").textContent()).toBe(ADMIN.username);

    // "Sair" ends the session on the server too.
    await page.click("#sgp-sair");
    await page.waitForSelector("#sgp-entrar:not([hidden])");
    await expect.poll(async () => (await s.request("GET", "/auth/me", { token })).status).toBe(401);
    await expect.poll(() => page.locator(".auth-wrapper .authorize").getAttribute("class")).toMatch(/\bunlocked\b/);

    expect(requests.filter((u) => !u.startsWith(`${s.url}/`) && !u.startsWith("data:"))).toEqual([]);
    expect(ctx.foreign).toEqual([]);
    // The failed login's 401 is the browser's one console error of the run.
    expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
  });
});

describe("the explorer in the single-file bundle", () => {
  it("is served by dist/sgp.mjs alone (Swagger UI embedded, no node_modules), and works in Chromium", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sgp-docs-bundle-"));
    let child: ChildProcess | undefined;
    try {
      // Into a temp folder, not dist/ (other tests build there at the same time).
      const build = spawnSync(
        process.execPath,
        [
          "--input-type=module",
          "-e",
          `const { buildServer } = await import("./build.mjs"); await buildServer({ outdir: ${JSON.stringify(dir)} });`,
        ],
        { encoding: "utf8" },
      );
      expect(build.status, build.stderr).toBe(0);
      child = spawn(process.execPath, ["sgp.mjs"], {
        cwd: dir,
        env: { PATH: process.env.PATH, PORT: "0", HOST: "127.0.0.1", SGP_ADMIN_PASSWORD: "senha-do-chefe" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stderr!.on("data", (d) => (output += d));
      const base = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`bundle did not start:\n${output}`)), 20_000);
        child!.stdout!.on("data", (d: Buffer) => {
          output += d;
          const m = /"port":(\d+)[^\n]*SGP listening/.exec(output);
          if (m) {
            clearTimeout(timer);
            resolve(`http://127.0.0.1:${m[1]}`);
          }
        });
        child!.once("exit", (code) => reject(new Error(`bundle exited ${code}:\n${output}`)));
      });
      const html = await (await fetch(`${base}/docs`)).text();
      const js = await fetch(`${base}/docs/swagger-ui-bundle.js?v=${versionIn(html)}`);
      expect(js.status).toBe(200);
      expect(js.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(await js.text()).toContain("SwaggerUIBundle");

      const ctx = await loopbackContext(browser, base);
      contexts.push(ctx);
      const page = await ctx.context.newPage();
      const requests: string[] = [];
      page.on("request", (r) => requests.push(r.url()));
      expect((await page.goto(`${base}/docs`))?.status()).toBe(200);
      await page.waitForSelector("#operations-sistema-getHealth");
      expect(requests.filter((u) => !u.startsWith(`${base}/`) && !u.startsWith("data:"))).toEqual([]);
      expect(requests.some((u) => u.startsWith(`${base}/openapi.json`))).toBe(true);
      expect(ctx.foreign).toEqual([]);
    } finally {
      if (child && child.exitCode === null) child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});

describe("API_DOCS", () => {
  it("false: /docs, its files and /openapi.json answer 404 with a Portuguese detail", async () => {
    const off = await startTestServer({ env: { API_DOCS: "false" } });
    try {
      expect(off.deps.config.apiDocs).toBe(false);
      for (const path of ["/docs", "/docs/", "/openapi.json", "/docs/swagger-ui-bundle.js", "/docs/sgp-docs.js"]) {
        for (const token of [null, off.adminToken]) {
          const r = await off.request("GET", path, { token });
          expect(r.status, path).toBe(404);
          expect(r.body.detail, path).toMatch(/Documentação da API desativada/);
        }
      }
      // The rest of the server is unaffected.
      expect((await off.request("GET", "/health")).status).toBe(200);
    } finally {
      await off.stop();
    }
  });

  it("is a strict boolean, true by default", () => {
    const dir = mkdtempSync(join(tmpdir(), "sgp-cfg-"));
    try {
      const base = { DATABASE_URL: `file:${join(dir, "x.db")}`, SECRET_KEY: "test-secret-key-with-enough-length-0123456789" };
      expect(loadConfig(base, dir).apiDocs).toBe(true);
      expect(loadConfig({ ...base, API_DOCS: "false" }, dir).apiDocs).toBe(false);
      expect(loadConfig({ ...base, API_DOCS: "0" }, dir).apiDocs).toBe(false);
      expect(() => loadConfig({ ...base, API_DOCS: "talvez" }, dir)).toThrow(/API_DOCS deve ser true ou false/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
