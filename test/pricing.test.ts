import { describe, expect, it } from "vitest";
import { formatCents } from "../lib/money.ts";
import { itemQuantity, parseCount, priceItem, priceOrder, unitCents } from "../lib/orders/pricing.ts";

// The original's pricing rules (original-api.md §4.5), computed exactly in cents, with the documented fixes.
describe("unit price (component rule for painel / generica / mesa_babado)", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    [
      "painel + 18 ilhós × 1.00",
      { tipo_producao: "painel", valor_painel: "100", tipo_acabamento: "ilhos", quantidade_ilhos: "18", valor_ilhos: "1.00" },
      "118.00",
    ],
    ["generica + adicionais", { tipo_producao: "generica", valor_painel: "50,50", valores_adicionais: "10.25" }, "60.75"],
    [
      "mesa_babado + cordinha",
      { tipo_producao: "mesa_babado", valor_painel: "80", tipo_acabamento: "cordinha", quantidade_cordinha: "4", valor_cordinha: "2,50" },
      "90.00",
    ],
    [
      "type and finish are case/accent-insensitive",
      { tipo_producao: " Painel ", valor_painel: "10", tipo_acabamento: "Ilhós", quantidade_ilhos: "2", valor_ilhos: "1" },
      "12.00",
    ],
    [
      "ilhós counted only with an ilhós finish",
      { tipo_producao: "painel", valor_painel: "100", tipo_acabamento: "nenhum", quantidade_ilhos: "18", valor_ilhos: "1" },
      "100.00",
    ],
    [
      "0 ilhós costs nothing (the original charged one: §8.12)",
      { tipo_producao: "painel", valor_painel: "100", tipo_acabamento: "ilhos", quantidade_ilhos: "0", valor_ilhos: "5" },
      "100.00",
    ],
    [
      "absent ilhós count costs nothing",
      { tipo_producao: "painel", valor_painel: "100", tipo_acabamento: "ilhos", valor_ilhos: "5" },
      "100.00",
    ],
    [
      "legacy ilhós field names",
      { tipo_producao: "painel", valor_painel: "100", tipo_acabamento: "ilhos", ilhos_qtd: "4", ilhos_valor_unitario: "0.50" },
      "102.00",
    ],
    [
      "fractional count rounds half up",
      { tipo_producao: "painel", valor_painel: "0", tipo_acabamento: "ilhos", quantidade_ilhos: "2,5", valor_ilhos: "1" },
      "3.00",
    ],
    ["pt-BR thousands", { tipo_producao: "painel", valor_painel: "1.234,56" }, "1234.56"],
    ["a dot with 3 decimals is a decimal point (original)", { tipo_producao: "painel", valor_painel: "1.234" }, "1.23"],
    ["R$ prefix", { tipo_producao: "painel", valor_painel: "R$ 99,90" }, "99.90"],
    [
      "no valor_painel: keeps its own valor_unitario (the original zeroed it)",
      { tipo_producao: "painel", valor_unitario: "75.00", tipo_acabamento: "ilhos", quantidade_ilhos: "3", valor_ilhos: "1" },
      "75.00",
    ],
    ["other types keep valor_unitario", { tipo_producao: "totem", valor_unitario: "42.10", valor_painel: "999" }, "42.10"],
    ["unreadable money counts 0", { tipo_producao: "lona", valor_unitario: "abc" }, "0.00"],
    ["draft form item: unit_price", { unit_price: 12.345 }, "12.35"],
  ];
  it.each(cases)("%s", (_name, item, expected) => {
    expect(formatCents(unitCents(item))).toBe(expected);
  });

  it("writes back the unit price each item is charged, and every money field in the wire's form, never null", () => {
    expect(priceItem({ tipo_producao: "painel", valor_painel: "100", valor_unitario: "1" }).item.valor_unitario).toBe("100.00");
    expect(priceItem({ tipo_producao: "totem", valor_unitario: "1,5" }).item.valor_unitario).toBe("1.50");
    expect(priceItem({ tipo_producao: "painel", valor_unitario: "7" }).item.valor_unitario).toBe("7.00");
    // A painel with neither valor_painel nor valor_unitario: "0.00" (the original's answer), not null.
    expect(priceItem({ tipo_producao: "painel" }).item.valor_unitario).toBe("0.00");
    const priced = priceItem({
      tipo_producao: "totem",
      valor_totem: null,
      valor_lona: "",
      outros_valores: "1.234,5",
      valor_painel: "",
      unit_price: 3,
    }).item;
    expect(priced).toMatchObject({
      valor_totem: "0.00",
      valor_lona: "0.00",
      outros_valores: "1234.50",
      valor_unitario: "3.00",
      unit_price: 3,
    });
    expect("valor_painel" in priced).toBe(false); // blank: not priced by the component rule, and not null on the wire
  });
});

describe("item quantity per type", () => {
  const cases: [Record<string, unknown>, number][] = [
    [{ tipo_producao: "painel", quantidade_paineis: "3" }, 3],
    [{ tipo_producao: "generica", quantidade_paineis: "2" }, 2],
    [{ tipo_producao: "mesa_babado", quantidade_paineis: "4" }, 4],
    [{ tipo_producao: "totem", quantidade_totem: "5", quantidade_paineis: "9" }, 5],
    [{ tipo_producao: "lona", quantidade_lona: "6" }, 6],
    [{ tipo_producao: "adesivo", quantidade_adesivo: "7" }, 7],
    [{ tipo_producao: "canga", quantidade_canga: "8" }, 8],
    [{ tipo_producao: "impressao_3d", quantidade_impressao_3d: "9" }, 9],
    [{ tipo_producao: "mochilinha", quantidade_mochilinha: "10" }, 10],
    [{ tipo_producao: "bolsinha", quantidade_mochilinha: "11" }, 11],
    [{ tipo_producao: "banner", quantidade_paineis: "12" }, 12],
    [{ tipo_producao: "totem", quantidade_paineis: "2" }, 2],
    [{ tipo_producao: "totem" }, 1],
    [{ tipo_producao: "painel", quantidade_paineis: "0" }, 1],
    [{ tipo_producao: "painel", quantidade_paineis: "" }, 1],
    [{ tipo_producao: "painel", quantidade_paineis: "x" }, 1],
    [{ tipo_producao: "painel", quantidade_paineis: "1,5" }, 2],
    [{ quantity: 3 }, 3],
  ];
  it.each(cases)("%j → %i", (item, qty) => expect(itemQuantity(item)).toBe(qty));

  it("parseCount: exact non-negative integers, null when absent or unreadable", () => {
    expect([
      parseCount("0"),
      parseCount(""),
      parseCount(null),
      parseCount("-1"),
      parseCount("abc"),
      parseCount(2.5),
      parseCount("3"),
    ]).toEqual([0, null, null, null, null, 3, 3]);
  });
});

describe("order totals = Σ unit × qty + frete", () => {
  it("sums in cents without float drift", () => {
    const items = Array.from({ length: 10 }, () => ({ tipo_producao: "totem", valor_unitario: "0.10", quantidade_totem: "3" }));
    const r = priceOrder(items, 1001);
    expect(formatCents(r.itensCents)).toBe("3.00");
    expect(formatCents(r.totalCents)).toBe("13.01");
  });

  it("the original's example: 100 + 18 × 1.00 with 2 panels and 10,00 frete", () => {
    const r = priceOrder(
      [
        {
          tipo_producao: "painel",
          valor_painel: "100.00",
          tipo_acabamento: "ilhos",
          quantidade_ilhos: "18",
          valor_ilhos: "1.00",
          quantidade_paineis: "2",
        },
      ],
      1000,
    );
    expect(r.items[0].valor_unitario).toBe("118.00");
    expect([formatCents(r.itensCents), formatCents(r.totalCents)]).toEqual(["236.00", "246.00"]);
  });
});
