import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";

let s: TestServer;
let user: { id: number; token: string };

beforeAll(async () => {
  s = await startTestServer();
  user = await s.createUser("vera", "vera-pass-123");
});
afterAll(() => s?.stop());

/** One order with one item, written straight into the tables (the orders API is another helper's). */
function insertOrder(
  fields: { tipo_pagamento?: string; forma_envio?: string; forma_envio_id?: number },
  item: Record<string, unknown>,
): number {
  return s.deps.db.writeSync((tx) => {
    const id = tx.run(
      "INSERT INTO pedidos (numero, data_entrada, cliente, status, tipo_pagamento, forma_envio, forma_envio_id) VALUES (?, '2026-11-29', 'Cliente', 'pendente', ?, ?, ?)",
      `T${Math.random()}`,
      fields.tipo_pagamento ?? null,
      fields.forma_envio ?? null,
      fields.forma_envio_id ?? 0,
    ).lastInsertRowid;
    tx.run(
      "INSERT INTO pedido_itens (pedido_id, posicao, tipo_producao, designer, vendedor, tecido, machine_id, data) VALUES (?, 0, ?, ?, ?, ?, ?, ?)",
      id,
      (item.tipo_producao as string) ?? null,
      (item.designer as string) ?? null,
      (item.vendedor as string) ?? null,
      (item.tecido as string) ?? null,
      (item.machine_id as number) ?? null,
      JSON.stringify(item),
    );
    return id;
  });
}

interface Case {
  prefix: string;
  /** Path form the client uses for the collection (with or without the slash). */
  create: Record<string, unknown>;
  created: Record<string, unknown>;
  patch: Record<string, unknown>;
  patched: Record<string, unknown>;
  required: string;
  notFound: string;
  createStatus: number;
  hasActive: boolean;
  /** Makes the created row "in use" by an order; null when the catalog is never in use. */
  use: ((row: any) => void) | null;
}

const CASES: Case[] = [
  {
    prefix: "clientes",
    create: { nome: "João da Silva" },
    created: { nome: "João da Silva", cep: null, cidade: null, estado: null, telefone: null },
    patch: { id: 999, nome: "João Silva", cep: "29000-000", cidade: "Vitória", estado: "ES", telefone: "27 9999" },
    patched: { nome: "João Silva", cep: "29000-000", cidade: "Vitória", estado: "ES" },
    required: "nome",
    notFound: "Cliente não encontrado",
    createStatus: 200,
    hasActive: false,
    use: null,
  },
  {
    prefix: "tipos-pagamentos",
    create: { nome: "Cheque", parcelas_max: 3, taxa_percentual: 2.5, ativo: true, observacao: null },
    created: { nome: "Cheque", parcelas_max: 3, taxa_percentual: 2.5, ativo: true, observacao: null },
    patch: { taxa_percentual: "1,75" },
    patched: { taxa_percentual: 1.75, parcelas_max: 3 },
    required: "nome",
    notFound: "Tipo de pagamento não encontrado",
    createStatus: 201,
    hasActive: true,
    use: (row) => insertOrder({ tipo_pagamento: row.nome.toUpperCase() }, { tipo_producao: "painel" }),
  },
  {
    prefix: "tipos-envios",
    create: { nome: "Entrega expressa", valor: 25.5, prazo_dias: 2, ativo: true, observacao: null },
    created: { nome: "Entrega expressa", valor: 25.5, prazo_dias: 2, ativo: true },
    patch: { valor: null },
    patched: { valor: null, prazo_dias: 2 },
    required: "nome",
    notFound: "Tipo de envio não encontrado",
    createStatus: 201,
    hasActive: true,
    use: (row) => insertOrder({ forma_envio_id: row.id }, { tipo_producao: "painel" }),
  },
  {
    prefix: "vendedores",
    create: { nome: "Márcia", email: null, telefone: null, comissao_percentual: 5, ativo: true, observacao: null },
    created: { nome: "Márcia", email: null, comissao_percentual: 5, ativo: true },
    patch: { comissao_percentual: 7.5 },
    patched: { comissao_percentual: 7.5 },
    required: "nome",
    notFound: "Vendedor não encontrado",
    createStatus: 201,
    hasActive: true,
    use: () => insertOrder({}, { tipo_producao: "painel", vendedor: " marcia " }),
  },
  {
    prefix: "designers",
    create: { nome: "Ana Paula", email: "ana@x.com", telefone: null, ativo: true, observacao: null },
    created: { nome: "Ana Paula", email: "ana@x.com", telefone: null, ativo: true, observacao: null },
    patch: { telefone: "27 3333" },
    patched: { telefone: "27 3333", email: "ana@x.com" },
    required: "nome",
    notFound: "Designer não encontrado",
    createStatus: 201,
    hasActive: false,
    use: () => insertOrder({}, { tipo_producao: "painel", designer: "ANA PAULA" }),
  },
  {
    prefix: "materiais",
    create: { nome: "Tecido Oxford", tipo: "tecido", valor_metro: 12.9, estoque_metros: 100, ativo: true, observacao: null },
    created: { nome: "Tecido Oxford", tipo: "tecido", valor_metro: 12.9, estoque_metros: 100, ativo: true },
    patch: { estoque_metros: 80.25 },
    patched: { estoque_metros: 80.25, valor_metro: 12.9 },
    required: "tipo",
    notFound: "Material não encontrado",
    createStatus: 201,
    hasActive: false,
    use: () => insertOrder({}, { tipo_producao: "painel", tecido: "tecido  oxford" }),
  },
  {
    prefix: "producoes",
    create: { name: "banner", description: "Banner", active: true },
    created: { name: "banner", description: "Banner", active: true },
    patch: { description: "Banner grande" },
    patched: { description: "Banner grande", name: "banner" },
    required: "name",
    notFound: "Tipo de produção não encontrado",
    createStatus: 201,
    hasActive: true,
    use: () => insertOrder({}, { tipo_producao: "Banner" }),
  },
  {
    prefix: "maquinas",
    create: { name: "Mimaki 01", active: true },
    created: { name: "Mimaki 01", active: true },
    patch: { name: "Mimaki 02" },
    patched: { name: "Mimaki 02", active: true },
    required: "name",
    notFound: "Máquina não encontrada",
    createStatus: 201,
    hasActive: true,
    use: (row) => insertOrder({}, { tipo_producao: "painel", machine_id: row.id }),
  },
];

describe.each(CASES)("catalog /$prefix", (c) => {
  const base = `/${c.prefix}`;
  let row: any;

  it("refuses callers without a valid token", async () => {
    expect((await s.request("GET", `${base}/`)).status).toBe(401);
    expect((await s.request("POST", `${base}/`, { body: c.create, token: "nope" })).status).toBe(401);
  });

  it("creates with defaults and returns the row in the wire shape", async () => {
    const r = await s.request("POST", base, { body: c.create, token: user.token });
    expect(r.status).toBe(c.createStatus);
    expect(r.body).toMatchObject(c.created);
    expect(typeof r.body.id).toBe("number");
    row = r.body;
  });

  it("validates create bodies with a FastAPI-like 422", async () => {
    const missing = { ...c.create };
    delete missing[c.required];
    const r = await s.request("POST", `${base}/`, { body: missing, token: user.token });
    expect(r.status).toBe(422);
    expect(r.body.detail[0].loc).toEqual(["body", c.required]);
    const blank = await s.request("POST", `${base}/`, { body: { ...c.create, [c.required]: "  " }, token: user.token });
    expect(blank.status).toBe(422);
  });

  it("lists and gets it, under both slash forms", async () => {
    for (const path of [base, `${base}/`]) {
      const r = await s.request("GET", path, { token: user.token });
      expect(r.status).toBe(200);
      expect(r.body.find((x: any) => x.id === row.id)).toEqual(row);
    }
    const one = await s.request("GET", `${base}/${row.id}`, { token: user.token });
    expect(one.body).toEqual(row);
    const missing = await s.request("GET", `${base}/987654`, { token: user.token });
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toBe(c.notFound);
    const bad = await s.request("GET", `${base}/abc`, { token: user.token });
    expect(bad.status).toBe(404);
    expect(typeof bad.body.detail).toBe("string");
  });

  it("patches only the fields sent; null on a required field is a 422, not a 500", async () => {
    const r = await s.request("PATCH", `${base}/${row.id}`, { body: c.patch, token: user.token });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject(c.patched);
    expect(r.body.id).toBe(row.id);
    row = r.body;
    const nul = await s.request("PATCH", `${base}/${row.id}`, { body: { [c.required]: null }, token: user.token });
    expect(nul.status).toBe(422);
    expect((await s.request("GET", `${base}/${row.id}`, { token: user.token })).body).toEqual(row);
    expect((await s.request("PATCH", `${base}/987654`, { body: c.patch, token: user.token })).status).toBe(404);
  });

  it("lists only active rows under /ativos where the original or the client has it", async () => {
    if (!c.hasActive) {
      // No such list: `ativos` is read as a (non-numeric) id.
      expect((await s.request("GET", `${base}/ativos`, { token: user.token })).status).toBe(404);
      return;
    }
    const flag = c.prefix === "producoes" || c.prefix === "maquinas" ? "active" : "ativo";
    await s.request("PATCH", `${base}/${row.id}`, { body: { [flag]: false }, token: user.token });
    let r = await s.request("GET", `${base}/ativos`, { token: user.token });
    expect(r.status).toBe(200);
    expect(r.body.some((x: any) => x.id === row.id)).toBe(false);
    expect(r.body.every((x: any) => x[flag] === true)).toBe(true);
    await s.request("PATCH", `${base}/${row.id}`, { body: { [flag]: true }, token: user.token });
    r = await s.request("GET", `${base}/ativos/`, { token: user.token });
    expect(r.body.some((x: any) => x.id === row.id)).toBe(true);
  });

  it("deletes only for admins, and refuses (409) while an order refers to the entry", async () => {
    const nameField = "nome" in c.create ? "nome" : "name";
    const other = await s.request("POST", base, { body: { ...c.create, [nameField]: "Outro nome" }, token: user.token });
    expect((await s.request("DELETE", `${base}/${other.body.id}`, { token: user.token })).status).toBe(403);
    if (c.use) {
      c.use(row);
      const refused = await s.request("DELETE", `${base}/${row.id}`, { token: s.adminToken });
      expect(refused.status).toBe(409);
      expect(refused.body.detail).toMatch(/em uso/);
      expect((await s.request("GET", `${base}/${row.id}`, { token: user.token })).status).toBe(200);
    }
    const del = await s.request("DELETE", `${base}/${other.body.id}`, { token: s.adminToken });
    expect(del.status).toBe(c.createStatus === 200 ? 200 : 204);
    if (c.createStatus === 200) expect(del.body).toEqual({ message: "Cliente deletado com sucesso" });
    else expect(del.text).toBe("");
    expect((await s.request("GET", `${base}/${other.body.id}`, { token: user.token })).status).toBe(404);
    expect((await s.request("DELETE", `${base}/${other.body.id}`, { token: s.adminToken })).status).toBe(404);
  });
});

describe("clientes search", () => {
  it("finds customers by name ignoring accents and case", async () => {
    for (const nome of ["JOSÉ Conceição", "Jose Carlos", "Maria 100%_x"])
      await s.request("POST", "/clientes/", { body: { nome }, token: user.token });
    const names = async (term: string) =>
      (await s.request("GET", `/clientes/?q=${encodeURIComponent(term)}`, { token: user.token })).body.map((x: any) => x.nome);
    expect(await names("jose")).toEqual(["JOSÉ Conceição", "Jose Carlos"]);
    expect(await names("CONCEICAO")).toEqual(["JOSÉ Conceição"]);
    expect(await names("100%_")).toEqual(["Maria 100%_x"]);
    expect(await names("%")).toEqual(["Maria 100%_x"]);
  });

  it("searches the other catalogs by name too", async () => {
    const r = await s.request("GET", `/producoes?q=${encodeURIComponent("IMPRESSÃO")}`, { token: user.token });
    expect(r.body.map((x: any) => x.name)).toEqual(["impressao_3d"]);
  });
});

describe("seed on a fresh database", () => {
  it("has the production types and a default payment and shipping catalog", async () => {
    const tipos = await s.request("GET", "/producoes/ativos", { token: user.token });
    const names = tipos.body.map((x: any) => x.name);
    for (const t of [
      "painel",
      "generica",
      "totem",
      "lona",
      "adesivo",
      "canga",
      "impressao_3d",
      "almofada",
      "bolsinha",
      "mesa_babado",
      "mochilinha",
    ])
      expect(names).toContain(t);
    expect(tipos.body[0].created_at).toMatch(/Z$/);
    const pag = await s.request("GET", "/tipos-pagamentos/ativos", { token: user.token });
    expect(pag.body.map((x: any) => x.nome)).toContain("Pix");
    const env = await s.request("GET", "/tipos-envios/ativos", { token: user.token });
    expect(env.body.length).toBeGreaterThan(0);
    expect(typeof env.body[0].valor).toBe("number");
  });
});

describe("seed and backfill (migration 004)", () => {
  it("seeds only empty tables, and folds the names of customers taken over from the original", async () => {
    const { seedCatalogs, backfillCustomerSearch } = await import("../lib/catalogs/seed.ts");
    const count = (t: string) => Number((s.deps.db.raw.prepare(`SELECT count(*) AS n FROM ${t}`).get() as any).n);
    const before = [count("producoes"), count("payment"), count("envio")];
    expect(s.deps.db.writeSync((tx) => seedCatalogs(tx))).toEqual({ seeded: [] });
    expect([count("producoes"), count("payment"), count("envio")]).toEqual(before);
    s.deps.db.writeSync((tx) => tx.run("INSERT INTO cliente (nome) VALUES ('ÁGUIA Legado')"));
    expect(s.deps.db.writeSync((tx) => backfillCustomerSearch(tx))).toBe(1);
    const r = await s.request("GET", "/clientes/?q=aguia", { token: user.token });
    expect(r.body.map((x: any) => x.nome)).toEqual(["ÁGUIA Legado"]);
  });
});
