// The production board (/painel) in a real headless Chromium against the real server: login, columns from the
// API, live changes without reload, click-to-move through PATCH /pedidos/{id}, read-only users, a server restart
// (same port and database), a restored database (resync), a phone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { launchBrowser, loopbackContext, type LoopbackContext } from "./helpers/browser.ts";
import { isoDay } from "../web/painel/board.ts";

let dir: string;
let s: TestServer;
let port: number;
let browser: Browser;
const ids: Record<string, number> = {};
const contexts: LoopbackContext[] = [];

const today = isoDay(new Date());
const day = (n: number) => isoDay(new Date(), n);

const api = async (method: string, path: string, body?: unknown, token = s.adminToken) => {
  const r = await s.request(method, path, { token, body });
  expect(r.status, `${method} ${path}: ${r.text}`).toBeLessThan(300);
  return r.body;
};

/** The ids of the cards in a column, top to bottom. */
const column = (page: Page, id: string) =>
  page.$$eval(`[data-column="${id}"] [data-order-id]`, (els) => els.map((e) => Number((e as HTMLElement).dataset.orderId)));

async function openBoard(viewport?: { width: number; height: number }, mobile = false): Promise<{ page: Page; ctx: LoopbackContext }> {
  const ctx = await loopbackContext(browser, s.url, { viewport, isMobile: mobile, hasTouch: mobile });
  contexts.push(ctx);
  const page = await ctx.context.newPage();
  return { page, ctx };
}

async function login(page: Page, username: string, password: string): Promise<void> {
  const res = await page.goto(`${s.url}/painel`);
  expect(res?.status()).toBe(200);
  await page.fill("input[name=username]", username);
  await page.fill("input[name=password]", password);
  await page.click("form.login button[type=submit]");
  await page.waitForSelector('.live[data-live="ao-vivo"]');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sgp-painel-"));
  s = await startTestServer({ dir });
  port = s.port;
  await s.createUser("costura1", "costura-pass-1", { setor: "costura" });
  const order = async (key: string, extra: Record<string, unknown>) => {
    const o = await api("POST", "/pedidos/", {
      cliente: `Cliente ${key}`,
      data_entrada: today,
      data_entrega: day(5),
      items: [{ descricao: "Painel", valor_unitario: "10.00" }],
      ...extra,
    });
    ids[key] = o.id;
  };
  await order("A", {});
  await order("B", { financeiro: true });
  await order("C", { financeiro: true, conferencia: true, items: [{ descricao: "1" }, { descricao: "2" }, { descricao: "3" }] });
  await order("D", { financeiro: true, conferencia: true, sublimacao: true, prioridade: "ALTA" });
  await order("D2", { financeiro: true, conferencia: true, sublimacao: true, data_entrega: day(1) });
  await order("E", { financeiro: true, conferencia: true, sublimacao: true, costura: true, data_entrada: day(-9), data_entrega: day(-2) });
  await order("F", {
    financeiro: true,
    conferencia: true,
    sublimacao: true,
    costura: true,
    expedicao: true,
    pronto: true,
    status: "pronto",
    data_entrega: today,
  });
  await order("Old", {
    financeiro: true,
    conferencia: true,
    sublimacao: true,
    costura: true,
    expedicao: true,
    pronto: true,
    status: "pronto",
    data_entrada: day(-40),
    data_entrega: day(-30),
  });
  await order("X", { status: "cancelado" });
  ids.Draft = (await api("POST", "/pedidos/rascunho", { cliente: "Rascunho", items: [] })).id;
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const c of contexts) await c.context.close().catch(() => {});
  await browser?.close();
  await s?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("production board", () => {
  let tv: Page;
  let tvCtx: LoopbackContext;
  const sockets: string[] = [];
  const frames: string[] = [];

  it("is one self-contained page: logs in through /auth/login and fills the columns from the API", async () => {
    ({ page: tv, ctx: tvCtx } = await openBoard({ width: 1920, height: 1080 }));
    tv.on("websocket", (ws) => {
      sockets.push(ws.url());
      ws.on("framereceived", (f) => frames.push(String(f.payload)));
    });
    const shell = await fetch(`${s.url}/painel`);
    expect(shell.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(await shell.text()).not.toMatch(/https?:\/\//); // no CDN, no other origin
    await login(tv, "admin", "admin-pass-123");

    expect(await column(tv, "financeiro")).toEqual([ids.A]);
    expect(await column(tv, "conferencia")).toEqual([ids.B]);
    expect(await column(tv, "sublimacao")).toEqual([ids.C]);
    expect(await column(tv, "costura")).toEqual([ids.D, ids.D2]); // urgent first
    expect(await column(tv, "expedicao")).toEqual([ids.E]);
    expect(await column(tv, "pronto")).toEqual([ids.F]); // the old ready one, the cancelled one and the draft are not on the board
    const card = (id: number) => tv.locator(`[data-order-id="${id}"]`);
    await expect(card(ids.E).getAttribute("class")).resolves.toContain("atrasado");
    expect(await card(ids.E).textContent()).toContain("atrasado 2 d");
    expect(await card(ids.D).textContent()).toContain("URGENTE");
    expect(await card(ids.C).textContent()).toContain("3 itens");
    expect(await card(ids.C).textContent()).toContain("Cliente C");
    const total = (k: string) => tv.textContent(`[data-total="${k}"] strong`);
    expect(await total("entradas")).toBe("6"); // A, B, C, D, D2, F (E and Old entered days ago; X and the draft are not on the board)
    expect(await total("producao")).toBe("6");
    expect(await total("atrasados")).toBe("1");
    expect(await total("prontos")).toBe("1");
    // Readable at 3 m on a 1080p TV: the card text is at least 24 px.
    const px = (sel: string) => tv.$eval(sel, (e) => parseFloat(getComputedStyle(e).fontSize));
    expect(await px(`[data-order-id="${ids.A}"] .cliente`)).toBeGreaterThanOrEqual(24);
    expect(await px(`[data-order-id="${ids.A}"] .numero`)).toBeGreaterThanOrEqual(28);
    expect(await px('[data-total="atrasados"] strong')).toBeGreaterThanOrEqual(48);
    expect(sockets).toHaveLength(1);
    expect(sockets[0]).not.toContain("token"); // the token travels in the subprotocol, never in the URL
    expect(tvCtx.foreign).toEqual([]);
  });

  it("shows a change made through the API within a second, without reloading", async () => {
    await tv.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
    await api("PATCH", `/pedidos/${ids.B}`, { conferencia: true });
    const t0 = Date.now();
    await tv.waitForSelector(`[data-column="sublimacao"] [data-order-id="${ids.B}"]`, { timeout: 1_000 });
    const ms = Date.now() - t0;
    expect(ms).toBeLessThan(1_000);
    expect(await column(tv, "conferencia")).toEqual([]);

    const created = await api("POST", "/pedidos/", { cliente: "Novo ao vivo", data_entrada: today, data_entrega: day(-1), items: [] });
    await tv.waitForSelector(`[data-column="financeiro"] [data-order-id="${created.id}"].atrasado`, { timeout: 1_000 });
    expect(await tv.textContent('[data-total="atrasados"] strong')).toBe("2");
    await api("DELETE", `/pedidos/${created.id}`);
    await tv.waitForSelector(`[data-order-id="${created.id}"]`, { state: "detached", timeout: 1_000 });
    // An order too large for a socket message (over 256 KiB) comes as {type, order_id, event_id}: the board fetches it.
    const big = await api("POST", "/pedidos/", {
      cliente: "Pedido enorme",
      data_entrada: today,
      items: Array.from({ length: 35 }, () => ({ descricao: "x".repeat(9_000) })),
    });
    await tv.waitForSelector(`[data-column="financeiro"] [data-order-id="${big.id}"]`);
    expect(frames.map((f) => JSON.parse(f)).find((m) => m.order_id === big.id && m.type === "order_created")).toEqual({
      type: "order_created",
      order_id: big.id,
      event_id: expect.any(Number),
    });
    await api("DELETE", `/pedidos/${big.id}`);
    await tv.waitForSelector(`[data-order-id="${big.id}"]`, { state: "detached" });
    expect(await tv.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  });

  it("moves a card with a click, through PATCH /pedidos/{id}", async () => {
    await tv.click(`[data-order-id="${ids.D}"] button`);
    await tv.waitForSelector("dialog.acao[open]");
    expect(await tv.textContent("dialog.acao [data-acao=avancar]")).toBe("Concluir Costura");
    await tv.click("dialog.acao [data-acao=avancar]");
    await tv.waitForSelector(`[data-column="expedicao"] [data-order-id="${ids.D}"]`);
    expect(await tv.isVisible("dialog.acao[open]")).toBe(false);
    const stored = await api("GET", `/pedidos/${ids.D}`);
    expect(stored).toMatchObject({ costura: true, expedicao: false, pronto: false });
    // The last stage makes the order ready, as the desktop client's checkboxes do.
    await tv.click(`[data-order-id="${ids.E}"] button`);
    await tv.click("dialog.acao [data-acao=avancar]");
    await tv.waitForSelector(`[data-column="pronto"] [data-order-id="${ids.E}"]`);
    expect(await api("GET", `/pedidos/${ids.E}`)).toMatchObject({ expedicao: true, pronto: true, status: "pronto" });
    // And back.
    await tv.click(`[data-order-id="${ids.E}"] button`);
    expect(await tv.textContent("dialog.acao [data-acao=voltar]")).toBe("Desfazer Expedição");
    await tv.click("dialog.acao [data-acao=voltar]");
    await tv.waitForSelector(`[data-column="expedicao"] [data-order-id="${ids.E}"]`);
    expect(await api("GET", `/pedidos/${ids.E}`)).toMatchObject({ expedicao: false, pronto: false, status: "em_producao" });
    // Admin releases financeiro from the board.
    await tv.click(`[data-order-id="${ids.A}"] button`);
    expect(await tv.textContent("dialog.acao [data-acao=avancar]")).toBe("Liberar financeiro");
    await tv.click("dialog.acao [data-acao=avancar]");
    await tv.waitForSelector(`[data-column="conferencia"] [data-order-id="${ids.A}"]`);
    expect((await api("GET", `/pedidos/${ids.A}`)).financeiro_liberado_em).toEqual(expect.any(String));
  });

  it("preselects the user's sector; stages the user may not change are read-only (a non-admin never releases financeiro)", async () => {
    const { page } = await openBoard({ width: 1280, height: 800 });
    await login(page, "costura1", "costura-pass-1");
    expect(await page.$$eval("[data-column]", (els) => els.map((e) => (e as HTMLElement).dataset.column))).toEqual(["costura"]);
    expect(await page.inputValue("#f-setor")).toBe("costura");
    expect(await column(page, "costura")).toEqual([ids.D2]);
    expect(await page.locator(`[data-order-id="${ids.D2}"] button`).count()).toBe(1);

    await page.selectOption("#f-setor", "todos");
    await page.waitForSelector('[data-column="financeiro"]');
    const created = await api("POST", "/pedidos/", { cliente: "Aguardando pagamento", data_entrada: today, items: [] });
    await page.waitForSelector(`[data-column="financeiro"] [data-order-id="${created.id}"]`);
    for (const id of [created.id, ids.A, ids.B])
      expect(await page.locator(`[data-order-id="${id}"] button`).count(), `order ${id}`).toBe(0);
    expect(await page.locator(`[data-order-id="${ids.D}"] button`).count()).toBe(1); // expedição: anyone, as in the client
    // The filters: by delivery date.
    await page.selectOption("#f-data", "amanha");
    await page.waitForFunction(() => document.querySelectorAll("[data-order-id]").length === 1);
    expect(await column(page, "costura")).toEqual([ids.D2]);
    await page.selectOption("#f-data", "dia");
    await page.fill("#f-dia", day(5));
    await page.dispatchEvent("#f-dia", "change");
    await page.waitForFunction((id) => !!document.querySelector(`[data-order-id="${id}"]`), ids.C);
    expect(await column(page, "costura")).toEqual([]);
    await page.selectOption("#f-data", "todas");
    await api("DELETE", `/pedidos/${created.id}`);
  });

  it("survives a server restart on the same port and database, without reloading, and resumes where it was", async () => {
    await tv.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
    await s.stop();
    await tv.waitForSelector('.live[data-live="reconectando"]');
    s = await startTestServer({ dir, env: { PORT: String(port) } });
    expect(s.port).toBe(port);
    // Committed before the board is back: it arrives in the replay of ?since=<cursor>, or live; either way, no gap.
    await api("PATCH", `/pedidos/${ids.C}`, { sublimacao: true });
    await tv.waitForSelector('.live[data-live="ao-vivo"]', { timeout: 20_000 });
    await tv.waitForSelector(`[data-column="costura"] [data-order-id="${ids.C}"]`);
    expect(sockets.at(-1)).toMatch(/[?&]since=\d+/);
    await api("PATCH", `/pedidos/${ids.C}`, { costura: true });
    await tv.waitForSelector(`[data-column="expedicao"] [data-order-id="${ids.C}"]`, { timeout: 1_000 });
    expect(await tv.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  });

  it("reloads its data when the server cannot replay (a restored database: resync)", async () => {
    const backup = join(dir, "restore.db");
    s.deps.db.raw.prepare("VACUUM INTO ?").run(backup);
    const gone = await api("POST", "/pedidos/", { cliente: "Depois do backup", data_entrada: today, items: [] });
    await tv.waitForSelector(`[data-order-id="${gone.id}"]`);
    await s.stop();
    // The restore as an IT person does it: the old files away, the backup in their place (a new file: the stopped
    // server's connection is only released when its statements are garbage-collected, and it keeps its locks on
    // the old one until then).
    for (const f of ["sgp.db", "sgp.db-wal", "sgp.db-shm"]) rmSync(join(dir, f), { force: true });
    copyFileSync(backup, join(dir, "sgp.db"));
    s = await startTestServer({ dir, env: { PORT: String(port) } });
    await tv.waitForSelector(`[data-order-id="${gone.id}"]`, { state: "detached", timeout: 20_000 });
    await tv.waitForSelector('.live[data-live="ao-vivo"]');
    expect(await column(tv, "expedicao")).toContain(ids.C);
    expect(tvCtx.foreign).toEqual([]);
  });

  it("is usable on a phone: no sideways page, the columns swipe, the move dialog fits", async () => {
    const { page, ctx } = await openBoard({ width: 390, height: 844 }, true);
    await login(page, "costura1", "costura-pass-1");
    const layout = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, viewport: innerWidth }));
    expect(layout.page).toBeLessThanOrEqual(layout.viewport);
    await page.tap(`[data-order-id="${ids.D2}"] button`);
    const box = await page.locator("dialog.acao [data-acao=avancar]").boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 390 && box.height >= 40).toBe(true);
    await page.tap("dialog.acao [data-acao=avancar]");
    await page.waitForSelector(`[data-order-id="${ids.D2}"]`, { state: "detached" }); // now in expedição, not shown to costura
    expect(await api("GET", `/pedidos/${ids.D2}`)).toMatchObject({ costura: true });
    await page.tap("button.sair");
    await page.waitForSelector("form.login");
    expect(await page.evaluate(() => localStorage.getItem("sgp-painel:sessao"))).toBeNull();

    // A session revoked elsewhere: the next call the board makes is refused and it goes back to its login.
    await login(page, "costura1", "costura-pass-1");
    const token = await page.evaluate(() => JSON.parse(localStorage.getItem("sgp-painel:sessao")!).token as string);
    expect((await s.request("POST", "/auth/logout", { token })).status).toBe(200);
    // (The server's periodic session check may close the socket with 1008 first: the same login either way.)
    const move = (async () => {
      await page.selectOption("#f-setor", "expedicao");
      await page.tap(`[data-order-id="${ids.D2}"] button`);
      await page.tap("dialog.acao [data-acao=avancar]");
    })().catch(() => {});
    await page.waitForSelector("form.login");
    await move;
    expect(await page.textContent("form.login .erro")).toBe("Sua sessão terminou. Entre novamente.");
    expect(await api("GET", `/pedidos/${ids.D2}`)).toMatchObject({ expedicao: false });
    expect(ctx.foreign).toEqual([]);
  });
});
