// The snapshot diff of lib/history/diff.ts: pure functions, checked directly.
import { describe, expect, it } from "vitest";
import { compact, diffOrders, diffValue, sameJson, shown, type Change } from "../lib/history/diff.ts";
import { splitItems } from "../lib/history/index.ts";

const diff = (a: unknown, b: unknown) => {
  const out: Change[] = [];
  diffValue("x", a, b, out);
  return out;
};

describe("history diff", () => {
  it("equality ignores key order and treats a missing key as null", () => {
    expect(sameJson({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 1, novo: null })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 1, novo: 0 })).toBe(false);
    expect(sameJson([1, 2], [2, 1])).toBe(false);
    expect(sameJson("1", 1)).toBe(false);
  });

  it("lists of objects with ids are diffed by id; other lists as a whole", () => {
    expect(
      diff(
        [
          { id: 1, a: "x" },
          { id: 2, a: "y" },
        ],
        [
          { id: 2, a: "z" },
          { id: 3, a: "w", b: null },
        ],
      ),
    ).toEqual([
      { field: "x[2].a", from: "y", to: "z" },
      { field: "x[3]", from: null, to: { id: 3, a: "w" } },
      { field: "x[1]", from: { id: 1, a: "x" }, to: null },
    ]);
    // Reordering items with ids is no change; reordering plain values is.
    expect(diff([{ id: 1 }, { id: 2 }], [{ id: 2 }, { id: 1 }])).toEqual([]);
    expect(diff(["a", "b"], ["b", "a"])).toEqual([{ field: "x", from: ["a", "b"], to: ["b", "a"] }]);
    // Duplicate ids cannot be addressed: the list is compared whole.
    expect(
      diff(
        [
          { id: 1, a: 1 },
          { id: 1, a: 2 },
        ],
        [{ id: 1, a: 1 }],
      ),
    ).toEqual([
      {
        field: "x",
        from: [
          { id: 1, a: 1 },
          { id: 1, a: 2 },
        ],
        to: [{ id: 1, a: 1 }],
      },
    ]);
  });

  it("an embedded image is never shown as its data", () => {
    const big = `data:image/png;base64,${"A".repeat(4000)}`;
    expect(shown(big)).toBe("data:image/png;base64,… (3000 bytes)");
    expect(diff({ imagem: null }, { imagem: big })).toEqual([
      { field: "x.imagem", from: null, to: "data:image/png;base64,… (3000 bytes)" },
    ]);
    expect(compact({ items: [{ imagem: big }] })).toEqual({ items: [{ imagem: "data:image/png;base64,… (3000 bytes)" }] });
    expect(shown("dados: texto comum")).toBe("dados: texto comum");
  });

  it("an order appearing lists its non-empty fields; later snapshots only what changed, never the stamps", () => {
    const a = {
      id: 1,
      cliente: "A",
      observacao: null,
      financeiro: false,
      items: [{ id: 9, largura: "2", imagem: null }],
      ultima_atualizacao: "t1",
      valor_total_calculado: "1,00",
    };
    expect(diffOrders(null, a)).toEqual([
      { field: "cliente", from: null, to: "A" },
      { field: "items[9]", from: null, to: { id: 9, largura: "2" } },
    ]);
    const b = {
      ...a,
      financeiro: true,
      ultima_atualizacao: "t2",
      valor_total_calculado: "2,00",
      items: [{ id: 9, largura: "3", imagem: null }],
    };
    expect(diffOrders(a, b)).toEqual([
      { field: "financeiro", from: false, to: true },
      { field: "items[9].largura", from: "2", to: "3" },
    ]);
  });

  it("a snapshot's items are split from the rest of its payload by native searches", () => {
    const payload = JSON.stringify({
      type: "order_updated",
      order: { id: 1, cliente: 'a "items":[ b', items: [{ id: 2, l: [1] }], data_criacao: "t" },
      order_id: 1,
    });
    const split = splitItems(payload)!;
    expect(JSON.parse(split.items)).toEqual([{ id: 2, l: [1] }]);
    expect(JSON.parse(split.rest)).toEqual({
      type: "order_updated",
      order: { id: 1, cliente: 'a "items":[ b', items: null, data_criacao: "t" },
      order_id: 1,
    });
    // An item key that mimics the order's end makes the rest unreadable, never silently wrong.
    const trap = JSON.stringify({
      type: "x",
      order: { id: 1, items: [{ id: 2, l: [1], data_criacao: "y" }, { id: 3 }], data_criacao: "t" },
    });
    expect(() => JSON.parse(splitItems(trap)!.rest)).toThrow();
    expect(splitItems('{"type":"order_deleted","order_id":1}')).toBeNull();
  });
});
