// Pure rules of lib/reports: cents, the freight split, the parameters' 400s, Safira's intents, the shop's calendar.
import { describe, expect, it } from "vitest";
import { AppError } from "../lib/errors.ts";
import { adjustedItemValues, itemValueCents, splitFreight } from "../lib/reports/values.ts";
import {
  parseCategory,
  parseDateMode,
  parseDateParam,
  parseFreteDistribution,
  parseGroupBy,
  parseIntParam,
  parseRange,
  parseReportStatus,
  parseStatusParam,
} from "../lib/reports/filters.ts";
import { detectIntent, foldQuestion } from "../lib/reports/safira-intents.ts";
import { parseReportType, periodLabel, slugify } from "../lib/reports/relatorio.ts";
import { titleCase } from "../lib/reports/automacao.ts";
import { addDays, localDate, localDateTimeBr, localDayStartIso } from "../lib/time.ts";
import { loadConfig, ConfigError } from "../lib/config.ts";

/** The AppError a call throws (fails the test when it does not throw one). */
function errorOf(f: () => unknown): AppError {
  try {
    f();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error("expected an AppError");
}

/** mulberry32: a small seeded PRNG, so a failing case can be replayed. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

describe("item values in cents", () => {
  it("subtotal first, else unit price × the quantity pricing uses, else 0 (never the original's 1)", () => {
    expect(itemValueCents({ subtotal: "150,50", valor_unitario: "10.00", quantidade_paineis: "3" })).toBe(15050);
    expect(itemValueCents({ subtotal: 0, tipo_producao: "painel", valor_unitario: "10.00", quantidade_paineis: "3" })).toBe(3000);
    expect(itemValueCents({ tipo_producao: "lona", valor_unitario: "R$ 1.234,56", quantidade_lona: "2" })).toBe(246912);
    expect(itemValueCents({ tipo_producao: "totem", unit_price: 12.345, quantidade_totem: "0" })).toBe(1235);
    expect(itemValueCents({ tipo_producao: "painel" })).toBe(0);
    expect(itemValueCents({ valor_unitario: "abc", quantidade_paineis: "2" })).toBe(0);
  });

  it("the difference to the order's service total goes on the last item", () => {
    expect(adjustedItemValues([1000, 2000], 10_000, 500)).toEqual([1000, 8500]);
    expect(adjustedItemValues([1000, 2000], 3500, 500)).toEqual([1000, 2000]);
    expect(adjustedItemValues([], 3500, 500)).toEqual([]);
  });

  it("splits freight exactly: floors, remainder to the last; even split when no item has value", () => {
    expect(splitFreight(1000, [1, 1, 1])).toEqual([333, 333, 334]);
    expect(splitFreight(1001, [6666, 9999, 6666])).toEqual([286, 429, 286]);
    expect(splitFreight(500, [0, 0])).toEqual([250, 250]);
    expect(splitFreight(7, [0, -5, 10])).toEqual([0, 0, 7]);
    expect(splitFreight(0, [10, 20])).toEqual([0, 0]);
    // cents × cents beyond 2^53 stays exact (BigInt products)
    expect(splitFreight(9_000_000_000_000, [9_000_000_000_000, 1]).reduce((a, b) => a + b)).toBe(9_000_000_000_000);
  });

  it("property: shares always add up to the freight and never go below zero for positive values", () => {
    const rnd = prng(11);
    for (let n = 0; n < 2000; n++) {
      const frete = Math.floor(rnd() * 100_000);
      const values = Array.from({ length: 1 + Math.floor(rnd() * 6) }, () => Math.floor(rnd() * 1_000_000));
      const shares = splitFreight(frete, values);
      expect(shares.reduce((a, b) => a + b, 0)).toBe(frete);
      for (const s of shares) expect(s).toBeGreaterThanOrEqual(0);
      expect(shares.every(Number.isInteger)).toBe(true);
    }
  });
});

describe("parameters: a 400 naming the parameter, never a 500", () => {
  it("dates", () => {
    expect(parseDateParam("start_date", "2026-02-28")).toBe("2026-02-28");
    expect(parseDateParam("start_date", "2026-02-28T10:00:00Z")).toBe("2026-02-28");
    expect(parseDateParam("start_date", " ")).toBeNull();
    for (const bad of ["2026-02-30", "28/02/2026", "2026-2-1", "ontem", "2026-13-01"]) {
      const e = errorOf(() => parseDateParam("start_date", bad));
      expect([e.status, e.detail]).toEqual([400, "start_date invalida. Use YYYY-MM-DD"]);
    }
    expect(errorOf(() => parseRange(["start_date", "end_date"], "2026-03-02", "2026-03-01")).detail).toMatch(/start_date.*end_date/);
    expect(errorOf(() => parseRange(["start_date", "end_date"], "2026-03-02", undefined, true)).detail).toMatch(/^end_date/);
  });

  it("date_mode, status, report status, group_by, category, frete_distribution, limit, report_type", () => {
    expect(parseDateMode(" Entrega ")).toBe("entrega");
    expect(parseDateMode(undefined, "entrega")).toBe("entrega");
    expect(errorOf(() => parseDateMode("saida")).detail).toMatch(/^date_mode invalido/);
    expect(parseStatusParam("Em Processamento")).toEqual(["em_producao"]);
    expect(parseStatusParam("concluido")).toEqual(["pronto", "entregue"]);
    expect(parseStatusParam("todos")).toBeNull();
    expect(errorOf(() => parseStatusParam("aprovado")).detail).toMatch(/^status invalido/);
    expect(parseReportStatus("Concluido").statuses).toEqual(["pendente", "em_producao", "pronto", "entregue"]);
    expect(parseReportStatus("Concluído").label).toBe("Concluído");
    expect(errorOf(() => parseReportStatus("x")).detail).toMatch(/^status invalido/);
    expect(errorOf(() => parseGroupBy("year")).detail).toMatch(/^group_by/);
    expect(errorOf(() => parseCategory("loja")).detail).toMatch(/^Categoria inválida/);
    expect(errorOf(() => parseFreteDistribution("igual")).detail).toMatch(/^frete_distribution/);
    for (const bad of ["0", "51", "-1", "1.5", "dez"])
      expect(errorOf(() => parseIntParam("limit", bad, 10, 1, 50)).detail).toMatch(/^limit/);
    expect(parseIntParam("limit", undefined, 10, 1, 50)).toBe(10);
    expect(errorOf(() => parseReportType("analitico")).detail).toMatch(/^report_type invalido/);
    expect(parseReportType(" SINTETICO_DATA ")).toBe("sintetico_data");
  });
});

describe("report labels", () => {
  it("slugs like the original's and the period label", () => {
    expect(slugify("Designer: Élida Ção")).toBe("designer-elida-cao");
    expect(slugify("Vendedor/Designer: Sem vendedor / Ana")).toBe("vendedor-designer-sem-vendedor-ana");
    expect(periodLabel("2026-03-01", "2026-03-31")).toBe("Período: 01/03/2026 - 31/03/2026");
    expect(titleCase("  OXFORD   azul ")).toBe("Oxford Azul");
    expect(titleCase("lona ação")).toBe("Lona Ação");
  });
});

describe("Safira's intents (deterministic keyword rules on folded text)", () => {
  it("folds case, accents and punctuation", () => {
    expect(foldQuestion("Qual o Tempo Médio?!")).toBe("qual o tempo medio");
  });

  it("maps the questions a shop asks", () => {
    const cases: [string, string][] = [
      ["Quantos pedidos foram feitos hoje?", "pedidos_hoje"],
      ["Quantos pedidos entraram hoje?", "pedidos_hoje"],
      ["Quantos pedidos estão em produção?", "pedidos_em_producao"],
      ["O que está atrasado?", "pedidos_atrasados"],
      ["Tem pedido fora do prazo?", "pedidos_atrasados"],
      ["Qual o tipo de pedido mais feito?", "tipo_pedido_mais_feito"],
      ["Qual material é mais usado?", "material_mais_usado"],
      ["Qual tecido mais consumido?", "material_mais_usado"],
      ["Qual vendedor produziu mais hoje?", "vendedor_mais_produtivo"],
      ["Qual vendedor fez mais pedidos hoje?", "vendedor_mais_produtivo"],
      ["Qual cliente fez mais pedidos este mês?", "cliente_mais_pedidos"],
      ["Quem mais comprou este mês?", "cliente_mais_pedidos"],
      ["Qual o tempo médio de produção?", "tempo_medio_producao"],
      ["Quanto tempo demora a produção?", "tempo_medio_producao"],
      ["Quantos pedidos foram concluídos hoje?", "pedidos_concluidos_hoje"],
      ["Quantos ficaram prontos hoje?", "pedidos_concluidos_hoje"],
      ["Qual etapa da produção tem mais pedidos?", "etapa_producao_com_mais_pedidos"],
      ["Onde está o gargalo?", "etapa_producao_com_mais_pedidos"],
      ["Qual a cor do céu?", "unknown"],
      ["", "unknown"],
    ];
    for (const [q, intent] of cases) expect(detectIntent(q), q).toBe(intent);
  });
});

describe("the shop's calendar", () => {
  it("today is São Paulo's date, not UTC's", () => {
    const late = new Date("2026-03-01T02:30:00Z"); // 23:30 on Feb 28 in São Paulo
    expect(localDate("America/Sao_Paulo", late)).toBe("2026-02-28");
    expect(localDate("UTC", late)).toBe("2026-03-01");
    expect(localDateTimeBr("America/Sao_Paulo", late)).toBe("28/02/2026, 23:30:00");
    expect(addDays("2026-02-28", 1)).toBe("2026-03-01");
    expect(addDays("2024-03-01", -1)).toBe("2024-02-29");
  });

  it("a local day's first instant in UTC, DST included", () => {
    expect(localDayStartIso("America/Sao_Paulo", "2026-03-01")).toBe("2026-03-01T03:00:00.000Z");
    expect(localDayStartIso("UTC", "2026-03-01")).toBe("2026-03-01T00:00:00.000Z");
    // São Paulo still had DST in 2018 (UTC-2 in January)
    expect(localDayStartIso("America/Sao_Paulo", "2018-01-15")).toBe("2018-01-15T02:00:00.000Z");
    expect(localDayStartIso("Europe/Lisbon", "2026-07-01")).toBe("2026-06-30T23:00:00.000Z");
  });

  it("SHOP_TIMEZONE defaults to America/Sao_Paulo and must be an IANA zone", () => {
    expect(loadConfig({ SECRET_KEY: "test-secret-key-with-enough-length-0123456789" }, "/tmp").timeZone).toBe("America/Sao_Paulo");
    expect(
      loadConfig({ SECRET_KEY: "test-secret-key-with-enough-length-0123456789", SHOP_TIMEZONE: "America/Manaus" }, "/tmp").timeZone,
    ).toBe("America/Manaus");
    expect(() =>
      loadConfig({ SECRET_KEY: "test-secret-key-with-enough-length-0123456789", SHOP_TIMEZONE: "Brasil/Vitoria" }, "/tmp"),
    ).toThrow(ConfigError);
  });
});
