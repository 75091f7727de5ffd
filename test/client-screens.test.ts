import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { wsConnect } from "./helpers/ws.ts";
import { functions } from "../runtime/functions.gen.ts";
import { pathsOf } from "../lib/function.ts";
import { ITEM_MONEY_KEYS } from "../lib/orders/pricing.ts";

// Issue 18: what the real client (sgp-v4 1.4.4) shows must be what the data says.
let s: TestServer;
const ids: Record<string, number> = {};
const numeros: Record<string, string> = {};

const create = async (key: string, body: Record<string, unknown>, token = s.adminToken) => {
  const r = await s.request("POST", "/pedidos/", { token, body: { data_entrada: "2026-11-01", ...body } });
  if (r.status !== 200) throw new Error(r.text);
  ids[key] = r.body.id;
  numeros[key] = r.body.numero;
  return r.body;
};
const list = async (qs: string) => {
  const r = await s.request("GET", `/pedidos/${qs}`, { token: s.adminToken });
  expect(r.status, r.text).toBe(200);
  return (r.body as { id: number }[]).map((o) => o.id).sort((a, b) => a - b);
};
const keys = (...k: string[]) => k.map((x) => ids[x]).sort((a, b) => a - b);

beforeAll(async () => {
  s = await startTestServer();
  // Numeros as the shop sees them: the generated ones are 10 digits, zero-padded.
  await create("n25", { cliente: "Ana Paula", numero: "25" });
  await create("n125", { cliente: "Bruno", numero: "125" });
  await create("n300", { cliente: "Carla 25 de Março", numero: "300" });
  // Dates: entered before the range but due in it, entered in it but due after, and both outside.
  await create("due_in", { cliente: "Duda", data_entrada: "2026-11-20", data_entrega: "2026-12-02" });
  await create("entered_in", { cliente: "Edu", data_entrada: "2026-12-01", data_entrega: "2026-12-20" });
  await create("outside", { cliente: "Fabi", data_entrada: "2026-11-01", data_entrega: "2026-11-10" });
  // Ready orders: pronto and entregue, due in and out of the range.
  await create("pronto_in", { cliente: "Gabi", data_entrada: "2026-11-15", data_entrega: "2026-12-01", status: "pronto", pronto: true });
  await create("entregue_in", {
    cliente: "Hugo",
    data_entrada: "2026-11-15",
    data_entrega: "2026-12-03",
    status: "entregue",
    pronto: true,
  });
  await create("pronto_out", { cliente: "Iara", data_entrada: "2026-12-01", data_entrega: "2026-12-30", status: "pronto", pronto: true });
});
afterAll(() => s.stop());

describe("the order list's search box (BUSCAR POR NOME DO CLIENTE, ID OU NÚMERO DO PEDIDO)", () => {
  it("a term of digits matches numero (with or without zeros or #) and the id, like the client's own filter", async () => {
    for (const term of ["25", "%2325", "0025", "0000000025", " 25 "]) {
      const found = await list(`?skip=0&limit=10001&cliente=${term}`);
      expect(found, term).toContain(ids.n25);
      expect(found, term).not.toContain(ids.due_in);
    }
    // Substring, as the client filters (125 contains 25), and the customer's name still counts ("Carla 25 de Março").
    expect(await list("?cliente=25")).toEqual(expect.arrayContaining([ids.n25, ids.n125, ids.n300]));
    // The id (these orders' ids are small; the client shows it too).
    expect(await list(`?cliente=${ids.outside}`)).toContain(ids.outside);
  });

  it("a mixed term searches the customer's name only", async () => {
    expect(await list("?cliente=ana%2025")).toEqual([]);
    expect(await list("?cliente=carla%2025")).toEqual(keys("n300"));
    expect(await list("?cliente=ANA%20p")).toEqual(keys("n25"));
  });
});

describe("dates without date_mode return a superset for the screens that filter again by data_entrega", () => {
  it("Todos (limit=10001 + dates): orders due in the range are there, whatever their entry date", async () => {
    const found = await list("?skip=0&limit=10001&data_inicio=2026-11-30&data_fim=2026-12-04");
    expect(found).toEqual(expect.arrayContaining(keys("due_in", "entered_in", "pronto_in", "entregue_in", "pronto_out")));
    expect(found).not.toContain(ids.outside);
  });

  it("Relatório de envios (data_inicio only, limit=1001): every order due from then on", async () => {
    expect(await list("?skip=0&limit=1001&data_inicio=2026-12-02")).toEqual(
      expect.arrayContaining(keys("due_in", "entregue_in", "pronto_out", "entered_in")),
    );
  });

  it("an explicit date_mode is exact", async () => {
    expect(await list("?data_inicio=2026-11-30&data_fim=2026-12-04&date_mode=entrada")).toEqual(keys("entered_in", "pronto_out"));
    expect(await list("?data_inicio=2026-11-30&data_fim=2026-12-04&date_mode=entrega")).toEqual(keys("due_in", "pronto_in", "entregue_in"));
  });
});

describe("Prontos with dates", () => {
  it("status=pronto + dates without date_mode (the Prontos tab): ready orders, pronto and entregue, due in the range", async () => {
    expect(await list("?status=pronto&data_inicio=2026-11-30&data_fim=2026-12-04&skip=0&limit=11")).toEqual(
      keys("pronto_in", "entregue_in"),
    );
    const total = await s.request("GET", "/pedidos/total?status=pronto&data_inicio=2026-11-30&data_fim=2026-12-04", {
      token: s.adminToken,
    });
    expect(total.body).toEqual({ total: 2 });
  });

  it("callers that mean exactly pronto keep it: no dates, or an explicit date_mode; concluido asks for both", async () => {
    expect(await list("?status=pronto")).toEqual(keys("pronto_in", "pronto_out"));
    expect(await list("?status=pronto&data_inicio=2026-11-30&data_fim=2026-12-04&date_mode=entrega")).toEqual(keys("pronto_in"));
    expect(await list("?status=concluido")).toEqual(keys("pronto_in", "entregue_in", "pronto_out"));
    expect(
      (await s.request("GET", "/pedidos/status/pronto", { token: s.adminToken })).body.map((o: { id: number }) => o.id).sort(),
    ).toEqual(keys("pronto_in", "pronto_out"));
  });
});

describe("designer notifications follow the client's 1.4.4 intent", () => {
  it("an order created or changed with arts assigned to a designer notifies that designer, once a minute per order", async () => {
    const ana = await s.createUser("ana", "senha-da-ana-1", { setor: "designer" });
    const bob = await s.createUser("bob", "senha-do-bob-1", { setor: "designer" });
    const wsAna = await wsConnect(`${s.wsUrl}/ws/orders?token=${ana.token}`);
    const wsBob = await wsConnect(`${s.wsUrl}/ws/orders?token=${bob.token}`);
    await Promise.all([wsAna.next(), wsBob.next()]);
    const o = await create("art", {
      cliente: "Loja X",
      items: [
        { tipo_producao: "painel", descricao: "Banner", designer: "ANA" },
        { tipo_producao: "totem", designer: "" },
      ],
    });
    const m = await wsAna.next((x) => x.type === "designer_art_ready");
    expect(m).toMatchObject({
      tipo: "designer_art_assigned",
      user_id: ana.id,
      order_id: o.id,
      art_id: o.items[0].id,
      title: "Nova arte atribuída",
      notification_id: expect.any(String),
    });
    expect(m.message).toContain("Banner");
    const bell = await s.request("GET", "/api/notificacoes/designer?include_read=false&limit=50", { token: ana.token });
    expect(bell.body).toEqual([
      expect.objectContaining({ notification_id: m.notification_id, tipo: "designer_art_assigned", order_id: o.id, visualizada: false }),
    ]);
    // Within 60 s, another change of her item is not a second notification; Bob, never assigned, gets none.
    await s.request("PATCH", `/pedidos/${o.id}`, {
      token: s.adminToken,
      body: { items: [{ ...o.items[0], descricao: "Banner 2" }, o.items[1]] },
    });
    const marker = (await s.request("PATCH", `/pedidos/${o.id}`, { token: s.adminToken, body: { observacao: "marca" } })).body.id;
    await wsBob.next((x) => x.type === "order_updated" && x.order_id === marker && x.order.observacao === "marca");
    expect(wsBob.messages.some((x) => x.type === "designer_art_ready")).toBe(false);
    expect((await s.request("GET", "/api/notificacoes/designer", { token: ana.token })).body).toHaveLength(1);
    // An item assigned to Bob later: Bob is told.
    await s.request("PATCH", `/pedidos/${o.id}`, {
      token: s.adminToken,
      body: { items: [o.items[0], { ...o.items[1], designer: "Bob" }] },
    });
    const forBob = await wsBob.next((x) => x.type === "designer_art_ready");
    expect(forBob).toMatchObject({ tipo: "designer_art_assigned", user_id: bob.id, order_id: o.id, art_id: o.items[1].id });
    // The release of an art still tells the order's creator (the admin), to their sockets only.
    const wsAdmin = await wsConnect(`${s.wsUrl}/ws/orders?token=${s.adminToken}`);
    await wsAdmin.next();
    await s.request("PATCH", `/designers/itens/${o.items[0].id}/status-arte`, { token: ana.token, body: { status_arte: "liberado" } });
    expect(await wsAdmin.next((x) => x.type === "designer_art_ready")).toMatchObject({
      tipo: "designer_art_ready",
      user_id: 1,
      order_id: o.id,
    });
    // A designer's own edit of their item is not news for them; drafts notify nobody.
    const before = (await s.request("GET", "/api/notificacoes/designer?include_read=true", { token: ana.token })).body.length;
    await s.request("POST", "/pedidos/", {
      token: ana.token,
      body: { cliente: "Própria", data_entrada: "2026-11-01", items: [{ designer: "Ana" }] },
    });
    await s.request("POST", "/pedidos/rascunho", { token: s.adminToken, body: { cliente: "Rascunho", items: [{ designer: "Ana" }] } });
    expect((await s.request("GET", "/api/notificacoes/designer?include_read=true", { token: ana.token })).body).toHaveLength(before);
    for (const c of [wsAna, wsBob, wsAdmin]) c.close();
  });
});

describe("money is never null on the wire", () => {
  it("every money field of an order and its items is a 0.00-style string, a painel without prices included", async () => {
    const o = await create("money", {
      cliente: "Money",
      items: [
        { tipo_producao: "painel", descricao: "sem valores" },
        { tipo_producao: "totem", valor_unitario: "1,5", quantidade_totem: "2", valor_totem: null, outros_valores: "" },
        { tipo_producao: "painel", valor_painel: "100", tipo_acabamento: "ilhos", quantidade_ilhos: "2", valor_ilhos: "1" },
      ],
    });
    expect(o.items[0].valor_unitario).toBe("0.00");
    expect(o.items[1]).toMatchObject({ valor_unitario: "1.50", valor_totem: "0.00", outros_valores: "0.00" });
    expect(o.items[2]).toMatchObject({ valor_unitario: "102.00", valor_painel: "100.00", valor_ilhos: "1.00" });
    expect(o).toMatchObject({ valor_itens: "105.00", valor_total: "105.00", valor_frete: "0.00" });
    const money = /^\d+\.\d{2}$/;
    const listed = (await s.request("GET", "/pedidos/?limit=10001", { token: s.adminToken })).body.find(
      (x: { id: number }) => x.id === o.id,
    );
    for (const order of [o, (await s.request("GET", `/pedidos/${o.id}`, { token: s.adminToken })).body, listed]) {
      for (const k of ["valor_total", "valor_frete", "valor_itens"]) expect(order[k], k).toMatch(money);
      for (const item of order.items) for (const k of ITEM_MONEY_KEYS) if (k in item) expect(item[k], k).toMatch(money);
    }
  });
});

describe("bodies of the wrong shape are 422", () => {
  it("an array, a number, a string or null on any route whose body is an object is a FastAPI-like 422", async () => {
    const o = await create("shape", { cliente: "Shape" });
    const objectRoutes = functions.filter(
      (d) =>
        d.body &&
        d.body !== "multipart" &&
        ["object", "loose_object", "strict_object", "object_with_rest", "record"].includes((d.body as { type: string }).type),
    );
    expect(objectRoutes.length).toBeGreaterThan(20);
    for (const def of objectRoutes) {
      const path = pathsOf(def)[0].replace(/:[a-z_]+/g, String(o.id));
      for (const raw of ["[]", "5", '"texto"', "null"]) {
        const r = await s.request(def.method, path, { token: s.adminToken, raw, headers: { "content-type": "application/json" } });
        expect(r.status, `${def.method} ${path} ${raw}`).toBe(422);
        expect(Array.isArray(r.body.detail), `${def.method} ${path}`).toBe(true);
        expect(r.body.detail[0]).toMatchObject({ loc: ["body"], msg: expect.any(String), type: expect.any(String) });
      }
    }
    const after = await s.request("GET", `/pedidos/${o.id}`, { token: s.adminToken });
    expect(after.body.ultima_atualizacao).toBe(o.ultima_atualizacao);
  });
});

describe("machines and print logs after a reload (the client's token race)", () => {
  it("the tokenless first request is a clean 401 the page survives; the same request with the token, right after, loads", async () => {
    // What the client does (client-contract §1, 'Token availability quirk'): maquinasApi/printLogsApi read the
    // module-level token, which only other API modules set. After a reload the page's first GETs go out without
    // Authorization; the page catches the 401 and stays empty until it loads again with the token set.
    const origin = "http://localhost:1420";
    for (const path of ["/maquinas/ativos", "/maquinas/dashboard/overview", "/print-logs/?limit=1000&offset=0", "/maquinas/"]) {
      const anon = await s.request("GET", path, { headers: { origin, "ngrok-skip-browser-warning": "any" } });
      expect(anon.status, path).toBe(401);
      // A real HTTP answer, readable by the page (CORS headers on the error too), not a network failure: the
      // client counts only answer-less failures towards its "server unreachable" screen.
      expect(anon.headers.get("access-control-allow-origin"), path).toBeTruthy();
      expect(anon.headers.get("www-authenticate")).toBe("Bearer");
      expect(typeof anon.body.detail).toBe("string");
      // The retry, once any orders/resources call has set the token.
      const again = await s.request("GET", path, { token: s.adminToken, headers: { origin } });
      expect(again.status, path).toBe(200);
    }
  });
});

describe("change-password: the rule's message is what the client's dialog shows", () => {
  it("a 4–7 character password gets a 400 whose detail is a string (the dialog shows response.data.detail)", async () => {
    const u = await s.createUser("senhas", "senha-antiga-1");
    for (const short of ["abcd", "abcdefg"]) {
      const r = await s.request("POST", "/auth/change-password", {
        token: u.token,
        body: { current_password: "senha-antiga-1", new_password: short },
      });
      expect(r.status).toBe(400);
      expect(r.body.detail).toBe("Nova senha deve ter ao menos 8 caracteres");
    }
  });
});
