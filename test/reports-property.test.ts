// Exact money, as a property: random orders and items (seeded PRNG, bounded), created through the API, then every
// report type × both freight distributions × random periods, modes, statuses and filters read back over HTTP.
// For every report: rows add up to their subgroup and group subtotals, subtotals to the total, and the total to
// the selected orders' valor_total; each order's rows carry exactly its freight and its items' values, which the
// test works out on its own (value rule, adjustment on the last item, proportional split with BigInt).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as v from "valibot";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { createOrder } from "../lib/orders/write.ts";
import { createOrderSchema } from "../lib/orders/schemas.ts";
import { CHUNK } from "../lib/reports/orders.ts";

const SEED = Number(process.env.REPORTS_SEED ?? 20260311);
/** Through the API; then BULK more through lib/orders' write path, so the reports read several chunks of orders. */
const ORDERS = 120;
const BULK = 300;
const rnd = ((seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
})(SEED);
const int = (a: number, b: number) => a + Math.floor(rnd() * (b - a + 1));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];

const TYPES = ["painel", "generica", "lona", "adesivo", "totem"] as const;
const QTY_FIELD: Record<string, string> = {
  painel: "quantidade_paineis",
  generica: "quantidade_paineis",
  lona: "quantidade_lona",
  adesivo: "quantidade_adesivo",
  totem: "quantidade_totem",
};
const REPORT_TYPES = [
  "analitico_designer_cliente",
  "analitico_cliente_designer",
  "analitico_cliente_painel",
  "analitico_designer_painel",
  "analitico_entrega_painel",
  "analitico_vendedor_designer",
  "analitico_designer_vendedor",
  "sintetico_data",
  "sintetico_data_entrada",
  "sintetico_data_entrega",
  "sintetico_designer",
  "sintetico_vendedor",
  "sintetico_vendedor_designer",
  "sintetico_cliente",
  "sintetico_entrega",
];
const STATUS_OF: Record<string, string[] | null> = {
  Todos: null,
  Pendente: ["pendente"],
  "Em Processamento": ["em_producao"],
  Concluido: ["pendente", "em_producao", "pronto", "entregue"],
  Cancelado: ["cancelado"],
};

/** Cents as the client may type them: `"1234.56"`, `"1.234,56"` or a number. */
const moneyText = (c: number) => {
  const s = `${Math.floor(c / 100)}.${String(c % 100).padStart(2, "0")}`;
  const form = int(0, 2);
  if (form === 0) return s;
  if (form === 1) return s.replace(".", ",").replace(/\B(?=(\d{3})+(?!\d))/, ".");
  return c / 100;
};
const cents = (s: string) => Math.round(Number(s) * 100);
const day = (d: number) => `2026-05-${String(d).padStart(2, "0")}`;

interface Gen {
  items: { value: number; designer: string; vendedor: string }[];
}

let s: TestServer;
const gen = new Map<string, Gen>(); // by numero
let all: any[] = [];

function randomOrder() {
  const entrada = int(1, 31);
  const items = Array.from({ length: pick([0, 1, 1, 2, 2, 3, 4]) }, (_, k) => {
    const tipo = pick(TYPES);
    const qty = pick([0, 1, 1, 2, 3, 5]);
    const unit = int(0, 25_000);
    const sub = rnd() < 0.15 ? int(1, 30_000) : null;
    return {
      tipo_producao: tipo,
      descricao: `Item ${k}`,
      [QTY_FIELD[tipo]]: String(qty),
      valor_unitario: moneyText(unit),
      designer: pick(["Ana", "ana ", "Ána", "Bruno", "", "Élida"]),
      vendedor: pick(["Carlos", "CARLOS", "Dora", ""]),
      ...(sub !== null ? { subtotal: moneyText(sub) } : {}),
      _value: sub ?? unit * Math.max(qty, 1),
    };
  });
  return {
    cliente: pick(["João Ávila", "joao avila", "Maria", "Pedro", "Zé Ação", "Loja 1"]),
    data_entrada: day(entrada),
    data_entrega: rnd() < 0.2 ? null : day(Math.min(31, entrada + int(0, 8))),
    status: pick(["pendente", "em_producao", "pronto", "entregue", "cancelado"]),
    valor_frete: moneyText(pick([0, 0, int(1, 99), int(100, 9999), int(10_000, 99_999)])),
    forma_envio: pick(["Correios", "Retirada", "", "Motoboy"]),
    items,
  };
}

beforeAll(async () => {
  s = await startTestServer();
  const bodies = Array.from({ length: ORDERS }, randomOrder);
  for (let i = 0; i < bodies.length; i += 6) {
    await Promise.all(
      bodies.slice(i, i + 6).map(async (b) => {
        const items = b.items.map(({ _value, ...it }) => it);
        const r = await s.request("POST", "/pedidos/", { token: s.adminToken, body: { ...b, items } });
        expect(r.status, r.text).toBe(200);
        gen.set(r.body.numero, { items: b.items.map((it) => ({ value: it._value, designer: it.designer, vendedor: it.vendedor })) });
      }),
    );
  }
  const actor = { id: 1, username: "admin", isAdmin: true };
  s.deps.db.writeSync((tx) => {
    for (let i = 0; i < BULK; i++) {
      const b = randomOrder();
      const o = createOrder(tx, v.parse(createOrderSchema, { ...b, items: b.items.map(({ _value, ...it }) => it) }), actor);
      gen.set(o.numero!, { items: b.items.map((it) => ({ value: it._value, designer: it.designer, vendedor: it.vendedor })) });
    }
  });
  // Totals taken over from the original may disagree with their items: the report must still add up to them.
  s.deps.db.raw.exec("UPDATE pedidos SET valor_total_cents = valor_total_cents + (id % 7) * 37 - 100 WHERE id % 9 = 0");
  all = (await s.request("GET", "/pedidos/", { token: s.adminToken })).body;
  expect(all).toHaveLength(ORDERS + BULK);
  expect(ORDERS + BULK).toBeGreaterThan(2 * CHUNK);
});
afterAll(() => s?.stop());

const fold = (x: string) =>
  x
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .trim();

/** The orders a query selects, worked out from the full list. */
function selected(q: { from: string; to: string; mode: string; status: string; cliente?: string }) {
  const inRange = (d: string | null) => !!d && d >= q.from && d <= q.to;
  return all.filter(
    (o) =>
      (q.mode === "entrada"
        ? inRange(o.data_entrada)
        : q.mode === "entrega"
          ? inRange(o.data_entrega)
          : inRange(o.data_entrada) || inRange(o.data_entrega)) &&
      (!STATUS_OF[q.status] || STATUS_OF[q.status]!.includes(o.status)) &&
      (!q.cliente || fold(o.cliente).includes(fold(q.cliente))),
  );
}

/** Per order: the test's own [valor_servico, valor_frete] of each row. */
function expectedRows(o: any, dist: string, match: (it: Gen["items"][number]) => boolean = () => true): [number, number][] {
  const frete = cents(o.valor_frete);
  const total = cents(o.valor_total);
  const items = gen.get(o.numero)!.items;
  if (items.length === 0) return [[total - frete, frete]];
  const values = items.map((it) => it.value);
  values[values.length - 1] += total - frete - values.reduce((a, b) => a + b, 0);
  let shares: bigint[];
  if (dist === "proporcional") {
    const w = values.map((v) => BigInt(Math.max(0, v)));
    const W = w.reduce((a, b) => a + b, 0n);
    const F = BigInt(frete);
    shares = w.map((wi) => (W > 0n ? (F * wi) / W : F / BigInt(w.length)));
    shares[shares.length - 1] = F - shares.slice(0, -1).reduce((a, b) => a + b, 0n);
  } else shares = [];
  const out: [number, number][] = [];
  items.forEach((it, k) => {
    if (!match(it)) return;
    out.push([values[k], dist === "proporcional" ? Number(shares[k]) : out.length === 0 ? frete : 0]);
  });
  return out;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const sorted = (xs: [number, number][]) => [...xs].sort((a, b) => a[0] - b[0] || a[1] - b[1]);

/** Checks the report's own arithmetic; returns its rows by ficha (analíticos). */
function checkArithmetic(r: any): Map<string, [number, number][]> {
  const byFicha = new Map<string, [number, number][]>();
  let tf = 0;
  let ts = 0;
  for (const g of r.groups) {
    expect(g.key).toMatch(/^[\p{L}\p{N}-]+$/u);
    let gf = 0;
    let gs = 0;
    if (r.report_type.startsWith("analitico_")) {
      expect(g.rows).toEqual([]);
      expect(g.subgroups.length).toBeGreaterThan(0);
      for (const sg of g.subgroups) {
        const f = sum(sg.rows.map((x: any) => cents(x.valor_frete)));
        const v = sum(sg.rows.map((x: any) => cents(x.valor_servico)));
        expect([cents(sg.subtotal.valor_frete), cents(sg.subtotal.valor_servico)]).toEqual([f, v]);
        for (const x of sg.rows) {
          const list = byFicha.get(x.ficha) ?? [];
          list.push([cents(x.valor_servico), cents(x.valor_frete)]);
          byFicha.set(x.ficha, list);
        }
        gf += f;
        gs += v;
      }
    } else {
      expect(g).not.toHaveProperty("subgroups");
      expect(g.rows).toHaveLength(1);
      expect(g.rows[0].ficha).toMatch(/^Pedidos: \d+ · Itens: \d+$/);
      expect([g.rows[0].valor_frete, g.rows[0].valor_servico]).toEqual([g.subtotal.valor_frete, g.subtotal.valor_servico]);
      gf = cents(g.rows[0].valor_frete);
      gs = cents(g.rows[0].valor_servico);
    }
    expect([cents(g.subtotal.valor_frete), cents(g.subtotal.valor_servico)]).toEqual([gf, gs]);
    tf += gf;
    ts += gs;
  }
  expect([cents(r.total.valor_frete), cents(r.total.valor_servico)]).toEqual([tf, ts]);
  return byFicha;
}

function randomQuery() {
  const a = int(1, 31);
  const b = int(a, 31);
  return {
    from: day(a),
    to: day(b),
    mode: pick(["entrada", "entrega", "qualquer"]),
    status: pick(Object.keys(STATUS_OF)),
    cliente: rnd() < 0.2 ? pick(["joao", "ZE", "maria"]) : undefined,
  };
}
const qs = (q: ReturnType<typeof randomQuery>) =>
  `start_date=${q.from}&end_date=${q.to}&date_mode=${q.mode}&status=${encodeURIComponent(q.status)}${q.cliente ? `&cliente=${q.cliente}` : ""}`;

describe(`closing report arithmetic (seed ${SEED}, ${ORDERS + BULK} random orders)`, () => {
  it("every report type × both distributions: rows → subtotals → total = Σ valor_total, each order exact", async () => {
    let checked = 0;
    for (const type of REPORT_TYPES) {
      for (const dist of ["por_pedido", "proporcional"]) {
        for (let n = 0; n < 2; n++) {
          const q = n === 0 ? { from: day(1), to: day(31), mode: "entrada", status: "Todos", cliente: undefined } : randomQuery();
          const r = await s.request(
            "GET",
            `/relatorios-fechamentos/pedidos/relatorio?report_type=${type}&frete_distribution=${dist}&${qs(q)}`,
            { token: s.adminToken },
          );
          expect(r.status, r.text).toBe(200);
          const byFicha = checkArithmetic(r.body);
          const orders = selected(q);
          const label = `${type} ${dist} ${qs(q)}`;
          expect(cents(r.body.total.valor_frete) + cents(r.body.total.valor_servico), label).toBe(
            sum(orders.map((o) => cents(o.valor_total))),
          );
          expect(cents(r.body.total.valor_frete), label).toBe(sum(orders.map((o) => cents(o.valor_frete))));
          if (type.startsWith("analitico_")) {
            expect([...byFicha.keys()].sort(), label).toEqual(orders.map((o) => o.numero).sort());
            for (const o of orders) expect(sorted(byFicha.get(o.numero)!), `${label} #${o.numero}`).toEqual(sorted(expectedRows(o, dist)));
          } else {
            const count = (g: any) => Number(/Itens: (\d+)/.exec(g.rows[0].ficha)![1]);
            expect(sum(r.body.groups.map(count)), label).toBe(sum(orders.map((o) => o.items.length)));
          }
          checked++;
        }
      }
    }
    expect(checked).toBe(60);
  });

  it("vendedor/designer filters: only matching items, each with its own value and freight share", async () => {
    for (let n = 0; n < 12; n++) {
      const q = randomQuery();
      const dist = pick(["por_pedido", "proporcional"]);
      const who = pick([{ designer: "ana" }, { vendedor: "carlos" }, { designer: "elida", vendedor: "dora" }, { designer: "bru" }]) as {
        designer?: string;
        vendedor?: string;
      };
      const match = (it: Gen["items"][number]) =>
        (!who.designer || fold(it.designer).includes(who.designer)) && (!who.vendedor || fold(it.vendedor).includes(who.vendedor));
      const extra = Object.entries(who)
        .map(([k, v]) => `&${k}=${v}`)
        .join("");
      const r = await s.request(
        "GET",
        `/relatorios-fechamentos/pedidos/relatorio?report_type=analitico_designer_vendedor&frete_distribution=${dist}&${qs(q)}${extra}`,
        { token: s.adminToken },
      );
      expect(r.status, r.text).toBe(200);
      const byFicha = checkArithmetic(r.body);
      const orders = selected(q).filter((o) => gen.get(o.numero)!.items.some(match));
      expect([...byFicha.keys()].sort()).toEqual(orders.map((o) => o.numero).sort());
      for (const o of orders) expect(sorted(byFicha.get(o.numero)!)).toEqual(sorted(expectedRows(o, dist, match)));
    }
  });

  it("the other analytics agree with the same orders", async () => {
    for (let n = 0; n < 6; n++) {
      const q = randomQuery();
      const status = pick(["", "pendente", "em_producao", "pronto", "entregue", "cancelado", "concluido"]);
      const statuses = status === "" ? null : status === "concluido" ? ["pronto", "entregue"] : [status];
      const orders = selected({ ...q, status: "Todos" }).filter((o) => !statuses || statuses.includes(o.status));
      const p = `data_inicio=${q.from}&data_fim=${q.to}&date_mode=${q.mode}${status ? `&status=${status}` : ""}${q.cliente ? `&cliente=${q.cliente}` : ""}`;
      const get = async (path: string) => {
        const r = await s.request("GET", path, { token: s.adminToken });
        expect(r.status, r.text).toBe(200);
        return r.body;
      };
      const revenue = sum(orders.map((o) => cents(o.valor_total)));
      const frete = sum(orders.map((o) => cents(o.valor_frete)));
      expect((await get(`/relatorios-fechamentos/pedidos/quantidade?${p}`)).total).toBe(orders.length);
      expect(await get(`/relatorios-fechamentos/pedidos/valor-total?${p}`)).toMatchObject({
        total_pedidos: orders.length,
        valor_total: (revenue / 100).toFixed(2),
      });
      // Trends and rankings take no customer filter (the original's): compared over the period and status only.
      const pNoCliente = p.replace(/&cliente=[^&]*/, "");
      const noCliente = selected({ ...q, status: "Todos", cliente: undefined }).filter((o) => !statuses || statuses.includes(o.status));
      const months = (await get(`/relatorios-fechamentos/pedidos/tendencia?${pNoCliente}&group_by=month`)).items;
      const dated = q.mode === "entrega" ? noCliente.filter((o) => o.data_entrega) : noCliente;
      expect(sum(months.map((m: any) => cents(m.revenue)))).toBe(sum(dated.map((o) => cents(o.valor_total))));
      expect(sum(months.map((m: any) => m.pedidos))).toBe(dated.length);
      const days = (await get(`/relatorios-fechamentos/pedidos/tendencia?${pNoCliente}&group_by=day`)).items;
      for (const d of days) expect(cents(d.revenue)).toBe(cents(d.frete) + cents(d.servico));
      const types = (await get(`/relatorios-fechamentos/pedidos/por-tipo-producao?${pNoCliente}&limit=50`)).items;
      const withItems = noCliente.filter((o) => o.items.length);
      expect(sum(types.map((t: any) => cents(t.revenue)))).toBe(sum(withItems.map((o) => cents(o.valor_total) - cents(o.valor_frete))));
      const stats = await get(
        `/relatorios/fechamentos/statistics?${p.replace("data_inicio", "start_date").replace("data_fim", "end_date")}`,
      );
      expect(stats).toMatchObject({
        total_pedidos: orders.length,
        total_items: sum(orders.map((o) => o.items.length)),
        total_revenue: (revenue / 100).toFixed(2),
        total_frete: (frete / 100).toFixed(2),
        total_servico: ((revenue - frete) / 100).toFixed(2),
      });
    }
  });
});
