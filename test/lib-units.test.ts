import { describe, expect, it } from "vitest";
import { formatCents, formatCentsBr, parseMoney } from "../lib/money.ts";
import { toDateOnly, toIsoUtc } from "../lib/time.ts";
import { foldText } from "../lib/text.ts";
import { splitCity } from "../lib/orders/city.ts";
import { normalizeLegacyStatus } from "../lib/orders/status.ts";
import { openMediaStore } from "../lib/media/store.ts";

describe("money: one parser, one formatter", () => {
  it.each([
    ["1.234,56", 123456],
    ["R$ 100,00", 10000],
    ["r$1.000", 100],
    ["100.00", 10000],
    ["100", 10000],
    ["1.234", 123],
    ["1.234.567", 123456700],
    ["150,55", 15055],
    ["0,5", 50],
    [" 18 ", 1800],
    [100, 10000],
    [1.005, 101],
    [0.1 + 0.2, 30],
    [2.675, 268],
    ["2.675", 268],
    ["-5,00", -500],
    ["", null],
    [null, null],
    [undefined, null],
    ["abc", null],
    ["1,2,3", null],
    [true, null],
    [Number.NaN, null],
  ])("parseMoney(%j) = %j", (input, cents) => {
    expect(parseMoney(input)).toBe(cents);
  });

  it.each([
    [11800, "118.00"],
    [5, "0.05"],
    [123456, "1234.56"],
    [0, "0.00"],
    [-250, "-2.50"],
  ])("formatCents(%d) = %s", (c, s) => {
    expect(formatCents(c)).toBe(s);
  });

  it("pt-BR display form", () => expect(formatCentsBr(12800)).toBe("128,00"));
});

describe("dates and timestamps", () => {
  it.each([
    ["2026-01-07", "2026-01-07"],
    ["2026-01-07T12:00:00.000Z", "2026-01-07"],
    ["2026-01-07 08:00:00", "2026-01-07"],
    ["07/01/2026", "2026-01-07"],
    ["2026-02-30", null],
    ["ontem", null],
    ["", null],
  ])("toDateOnly(%j) = %j", (i, o) => expect(toDateOnly(i)).toBe(o));

  it.each([
    ["2026-01-07 06:02:13.219293", "2026-01-07T06:02:13.219Z"],
    ["2026-01-07T06:02:13", "2026-01-07T06:02:13.000Z"],
    ["2025-01-01T10:00:00+00:00", "2025-01-01T10:00:00.000Z"],
    ["2025-01-01T10:00:00-03:00", "2025-01-01T13:00:00.000Z"],
    [null, null],
  ])("toIsoUtc(%j) = %j", (i, o) => expect(toIsoUtc(i)).toBe(o));
});

describe("legacy decoding", () => {
  it.each([
    ["Vitória||ES", null, { cidade: "Vitória", estado: "ES" }],
    ["Serra - ES", null, { cidade: "Serra", estado: "ES" }],
    ["Serra - es", "", { cidade: "Serra", estado: "ES" }],
    ["Vitória", "ES", { cidade: "Vitória", estado: "ES" }],
    ["Presidente Kennedy", null, { cidade: "Presidente Kennedy", estado: null }],
    ["São José do Rio Preto - SP", null, { cidade: "São José do Rio Preto", estado: "SP" }],
    [null, null, { cidade: null, estado: null }],
  ])("splitCity(%j, %j)", (c, e, out) => expect(splitCity(c, e)).toEqual(out));

  it.each([
    ["Em Produção", "em_producao"],
    ["em producao", "em_producao"],
    ["emproducao", "em_producao"],
    ["concluido", "entregue"],
    ["Concluído", "entregue"],
    ["PENDENTE", "pendente"],
    ["penden", "pendente"],
    [" pronto ", "pronto"],
    ["xyz", null],
  ])("normalizeLegacyStatus(%j) = %j", (i, o) => expect(normalizeLegacyStatus(i)).toBe(o));

  it("folds accents and case for any letters (SQLite's lower() is ASCII-only)", () => {
    expect(foldText("  JOÃO  Ávila ÇÉ ")).toBe("joao avila ce");
  });
});

describe("media paths stay inside the root", () => {
  const m = openMediaStore("/srv/media");
  it.each(["../etc/passwd", "pedidos/../../x", "/etc/passwd", "C:\\Windows\\x", "pedidos\\..\\..\\x", "a\0b", ""])("rejects %j", (p) => {
    expect(m.resolveInside(p)).toBeNull();
  });
  it("accepts legacy backslash paths", () => expect(m.resolveInside("pedidos\\1\\a.png")).toBe("/srv/media/pedidos/1/a.png"));
});
