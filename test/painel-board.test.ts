// The board's rules (web/painel/board.ts), checked directly: columns, what is on the board, order of cards,
// filters, header numbers, who may move what, and the PATCH body a move sends.
import { describe, expect, it } from "vitest";
import * as B from "../web/painel/board.ts";

const TODAY = "2026-03-10";
const base: B.Order = {
  id: 1,
  numero: "0000000042",
  cliente: "Cliente",
  data_entrada: "2026-03-01",
  data_entrega: "2026-03-12",
  prioridade: "NORMAL",
  status: "pendente",
  financeiro: false,
  conferencia: false,
  sublimacao: false,
  costura: false,
  expedicao: false,
  pronto: false,
  rascunho: false,
  sublimacao_maquina: null,
  sublimacao_data_impressao: null,
  ultima_atualizacao: null,
  itens: 1,
};
const o = (extra: Partial<B.Order>): B.Order => ({ ...base, ...extra });
const upTo = (stage: number): Partial<B.Order> => Object.fromEntries(B.STAGES.map((s, i) => [s, i < stage]));
const user = (setor: string, is_admin = false): B.User => ({ user_id: 2, username: "u", setor, is_admin });

describe("board rules", () => {
  it("an order waits in the column of its first stage not done; ready ones in pronto", () => {
    expect(B.STAGES.map((_, i) => B.columnOf(o(upTo(i))))).toEqual(["financeiro", "conferencia", "sublimacao", "costura", "expedicao"]);
    expect(B.columnOf(o(upTo(5)))).toBe("pronto");
    expect(B.columnOf(o({ ...upTo(2), costura: true }))).toBe("sublimacao"); // out of order: the first gap
    expect(B.columnOf(o({ status: "pronto" }))).toBe("pronto");
  });

  it("drafts, cancelled and delivered orders, and ready ones handed over long ago are not on the board", () => {
    expect(B.onBoard(o({}), TODAY)).toBe(true);
    for (const extra of [{ rascunho: true }, { status: "cancelado" }, { status: "entregue", pronto: true }])
      expect(B.onBoard(o(extra), TODAY)).toBe(false);
    expect(B.onBoard(o({ pronto: true, data_entrega: "2026-03-03" }), TODAY)).toBe(true); // 7 days
    expect(B.onBoard(o({ pronto: true, data_entrega: "2026-03-02" }), TODAY)).toBe(false);
    expect(B.onBoard(o({ data_entrega: "2025-01-01" }), TODAY)).toBe(true); // late but unfinished: always shown
  });

  it("urgent first, then the earliest due; overdue is past the due day and not ready", () => {
    const cards = [
      o({ id: 1, data_entrega: "2026-03-20" }),
      o({ id: 2, data_entrega: "2026-03-09" }),
      o({ id: 3, prioridade: "ALTA", data_entrega: "2026-03-30" }),
      o({ id: 4, data_entrega: null, data_entrada: "2026-03-05" }),
    ];
    expect([...cards].sort(B.compareCards).map((c) => c.id)).toEqual([3, 4, 2, 1]);
    expect(B.isOverdue(o({ data_entrega: "2026-03-09" }), TODAY)).toBe(true);
    expect(B.isOverdue(o({ data_entrega: TODAY }), TODAY)).toBe(false);
    expect(B.isOverdue(o({ data_entrega: "2026-03-09", pronto: true }), TODAY)).toBe(false);
  });

  it("filters by sector (columns) and by delivery date", () => {
    const all = [
      o({ id: 1, data_entrega: "2026-03-09" }),
      o({ id: 2, ...upTo(3), data_entrega: TODAY }),
      o({ id: 3, ...upTo(4), data_entrega: "2026-03-11" }),
      o({ id: 4, ...upTo(5), data_entrega: "2026-03-16" }),
    ];
    const ids = (sector: string, date: B.DateFilter) =>
      Object.fromEntries(B.buildColumns(all, sector, date, TODAY).map((c) => [c.id, c.orders.map((x) => x.id)]));
    expect(ids("todos", "todas")).toEqual({ financeiro: [1], conferencia: [], sublimacao: [], costura: [2], expedicao: [3], pronto: [4] });
    expect(ids("costura", "todas")).toEqual({ costura: [2] });
    expect(ids("expedicao", "todas")).toEqual({ expedicao: [3], pronto: [4] });
    expect(ids("impressao", "todas")).toEqual({ sublimacao: [] });
    expect(Object.values(ids("todos", "atrasados")).flat()).toEqual([1]);
    expect(Object.values(ids("todos", "hoje")).flat()).toEqual([2]);
    expect(Object.values(ids("todos", "amanha")).flat()).toEqual([3]);
    expect(Object.values(ids("todos", "semana")).flat()).toEqual([2, 3, 4]);
    expect(Object.values(ids("todos", "dia:2026-03-16")).flat()).toEqual([4]);
    expect(B.defaultSector(user("costura"))).toBe("costura");
    expect(B.defaultSector(user("vendas"))).toBe("todos");
  });

  it("header numbers over the whole board", () => {
    const all = [
      o({ data_entrada: TODAY }),
      o({ data_entrega: "2026-03-01" }),
      o({ ...upTo(5), data_entrada: TODAY, data_entrega: TODAY }),
      o({ rascunho: true, data_entrada: TODAY }),
    ];
    expect(B.totals(all, TODAY)).toEqual({ entradas: 2, producao: 2, atrasados: 1, prontos: 1 });
  });

  it("who may move a card: the desktop client's stage rules", () => {
    const admin = user("geral", true);
    const fin = o({});
    expect(B.advanceStage(admin, fin)).toBe("financeiro");
    for (const setor of ["financeiro", "conferencia", "costura", "vendas"]) expect(B.advanceStage(user(setor), fin), setor).toBeNull();
    const conf = o(upTo(1));
    expect(B.advanceStage(user("conferencia"), conf)).toBe("conferencia");
    expect(B.advanceStage(user("financeiro"), conf)).toBe("conferencia");
    expect(B.advanceStage(user("costura"), conf)).toBeNull();
    expect(B.backStage(user("conferencia"), conf)).toBeNull(); // taking financeiro back: admin only
    expect(B.backStage(admin, conf)).toBe("financeiro");
    const sub = o(upTo(2));
    expect(B.advanceStage(user("impressao"), sub)).toBe("sublimacao");
    expect(B.advanceStage(user("conferencia"), sub)).toBeNull();
    expect(B.backStage(user("conferencia"), sub)).toBe("conferencia");
    expect(B.advanceStage(user("vendas"), o(upTo(3)))).toBe("costura");
    expect(B.advanceStage(user("designer"), o(upTo(4)))).toBe("expedicao");
    expect(B.advanceStage(admin, o(upTo(5)))).toBeNull();
    expect(B.backStage(user("expedicao"), o(upTo(5)))).toBe("expedicao");
    expect(B.advanceStage(admin, o({ ...upTo(3), rascunho: true }))).toBeNull();
  });

  it("the PATCH body of a move is the desktop client's", () => {
    const machine = { sublimacao_maquina: "Mimaki", sublimacao_data_impressao: "2026-03-09" };
    expect(B.stagePatch(o({}), "financeiro", true)).toEqual({
      financeiro: true,
      conferencia: false,
      sublimacao: false,
      costura: false,
      expedicao: false,
      sublimacao_maquina: null,
      sublimacao_data_impressao: null,
      pronto: false,
      status: "pendente",
    });
    // financeiro is only sent when it is the stage toggled
    expect(B.stagePatch(o({ ...upTo(3), ...machine, status: "em_producao" }), "costura", true)).toEqual({
      conferencia: true,
      sublimacao: true,
      costura: true,
      expedicao: false,
      ...machine,
      pronto: false,
      status: "em_producao",
    });
    expect(B.stagePatch(o({ ...upTo(4), ...machine }), "expedicao", true)).toMatchObject({
      expedicao: true,
      pronto: true,
      status: "pronto",
    });
    expect(B.stagePatch(o({ ...upTo(5), ...machine, status: "pronto" }), "expedicao", false)).toMatchObject({
      expedicao: false,
      pronto: false,
      status: "em_producao",
    });
    expect(B.stagePatch(o({ ...upTo(3), ...machine }), "sublimacao", false)).toMatchObject({
      sublimacao: false,
      sublimacao_maquina: null,
      sublimacao_data_impressao: null,
    });
    expect(B.stagePatch(o({ ...upTo(5), ...machine, status: "pronto" }), "financeiro", false)).toEqual({
      financeiro: false,
      conferencia: false,
      sublimacao: false,
      costura: false,
      expedicao: false,
      sublimacao_maquina: null,
      sublimacao_data_impressao: null,
      pronto: false,
      status: "em_producao",
    });
  });

  it("labels", () => {
    expect(B.shortNumero("0000000487")).toBe("487");
    expect(B.shortNumero("0000000000")).toBe("0");
    expect(B.shortNumero(null)).toBe("—");
    expect(B.deliveryLabel(o({ data_entrega: TODAY }), TODAY)).toBe("10/03 · hoje");
    expect(B.deliveryLabel(o({ data_entrega: "2026-03-11" }), TODAY, true)).toBe("amanhã");
    expect(B.deliveryLabel(o({ data_entrega: "2026-03-07" }), TODAY, true)).toBe("atrasado 3 d");
    expect(B.deliveryLabel(o({ data_entrega: "2027-01-05" }), TODAY)).toBe("05/01/2027");
    expect(B.slim({ ...base, items: [{}, {}, {}] })).toMatchObject({ itens: 3 });
    expect(B.slim({ ...base, items: [{}, {}] })).not.toHaveProperty("items");
  });
});
