// Writes docs/painel-tv.png (1920×1080) and docs/painel-phone.png (390×844) of the production board with demo
// orders: `npx tsx scripts/painel-screenshots.ts`. A temp server and Debian's Chromium, nothing else.
import { startTestServer } from "../test/helpers/server.ts";
import { launchBrowser, loopbackContext } from "../test/helpers/browser.ts";
import { isoDay } from "../web/painel/board.ts";

const day = (n: number) => isoDay(new Date(), n);
const CLIENTS = [
  "Padaria Pão Dourado",
  "Academia Corpo em Forma",
  "Igreja Batista Central",
  "Escola Pequeno Príncipe",
  "Auto Peças Rodovia",
  "Clínica Sorriso Feliz",
  "Mercado Bom Preço",
  "Pizzaria Forno a Lenha",
  "Festa Junina da Vila",
  "Loja Moda Verão",
  "Farmácia Vida",
  "Buffet Encantado",
  "Oficina do Zé",
  "Pet Shop Amigo Fiel",
  "Restaurante Sabor Caseiro",
  "Colégio Objetivo Norte",
  "Casamento Ana & Pedro",
  "Sorveteria Gelato",
  "Time Atlético da Serra",
  "Hotel Praia Azul",
  "Imobiliária Lar Doce",
  "Salão Beleza Pura",
  "Festival de Verão 2026",
  "Construtora Alicerce",
];
const FLOW = ["financeiro", "conferencia", "sublimacao", "costura", "expedicao"] as const;

const s = await startTestServer();
const browser = await launchBrowser();
try {
  await s.createUser("costura1", "costura-pass-1", { setor: "costura" });
  for (let i = 0; i < CLIENTS.length; i++) {
    const stage = [0, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5, 5][i % 14];
    const flags = Object.fromEntries(FLOW.map((f, k) => [f, k < stage]));
    const r = await s.request("POST", "/pedidos/", {
      token: s.adminToken,
      body: {
        cliente: CLIENTS[i],
        data_entrada: day(i % 3 === 0 ? 0 : -3),
        data_entrega: day([-2, 0, 1, 3, 5, 8, -1, 2][i % 8]),
        prioridade: i % 5 === 1 ? "ALTA" : "NORMAL",
        ...flags,
        ...(stage === 5 ? { pronto: true, status: "pronto" } : {}),
        items: Array.from({ length: 1 + (i % 4) }, (_, k) => ({ descricao: `Item ${k + 1}`, valor_unitario: "50.00" })),
      },
    });
    if (r.status !== 200) throw new Error(r.text);
  }
  const shoot = async (file: string, viewport: { width: number; height: number }, user: string, password: string, mobile = false) => {
    const { context, foreign } = await loopbackContext(browser, s.url, { viewport, isMobile: mobile, hasTouch: mobile });
    const page = await context.newPage();
    await page.goto(`${s.url}/painel`);
    await page.fill("input[name=username]", user);
    await page.fill("input[name=password]", password);
    await page.click("form.login button[type=submit]");
    await page.waitForSelector('.live[data-live="ao-vivo"]');
    await page.waitForTimeout(300);
    await page.screenshot({ path: file });
    if (foreign.length) throw new Error(`the page tried other origins: ${foreign.join(", ")}`);
    await context.close();
    console.log(`wrote ${file}`);
  };
  await shoot("docs/painel-tv.png", { width: 1920, height: 1080 }, "admin", "admin-pass-123");
  await shoot("docs/painel-phone.png", { width: 390, height: 844 }, "costura1", "costura-pass-1", true);
} finally {
  await browser.close();
  await s.stop();
}
