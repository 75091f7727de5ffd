import type { CatalogDef } from "./crud.ts";
import { inUseMessage, ordersUsingMachine, ordersUsingName, ordersUsingShipping, printLogsOfMachine } from "./usage.ts";

/**
 * The catalogs, as the original declared them (spec original-api §2.5, §3.7, §3.8): table, wire fields,
 * defaults, the 404 message, and what "in use" means for each.
 */

/** Customers. Orders copy the customer's data (`pedidos.cliente` is free text), so a customer is never "in use". */
export const CLIENTES: CatalogDef = {
  table: "cliente",
  prefix: "clientes",
  noun: "cliente",
  notFound: "Cliente não encontrado",
  fields: {
    nome: { type: "text", required: true },
    cep: { type: "text" },
    cidade: { type: "text" },
    estado: { type: "text" },
    telefone: { type: "text" },
  },
  folded: { field: "nome", column: "nome_busca" },
  createStatus: 200,
  deletedMessage: "Cliente deletado com sucesso",
};

export const TIPOS_PAGAMENTOS: CatalogDef = {
  table: "payment",
  prefix: "tipos-pagamentos",
  noun: "tipo de pagamento",
  notFound: "Tipo de pagamento não encontrado",
  fields: {
    nome: { type: "text", required: true },
    parcelas_max: { type: "int", default: 1 },
    taxa_percentual: { type: "real", default: 0 },
    ativo: { type: "bool", default: true },
    observacao: { type: "text" },
  },
  activeField: "ativo",
  inUse: (q, row) => {
    // The client's form stores the payment method's id (as a digit string) in `tipo_pagamento`; older rows, its name.
    const col = { table: "pedidos", column: "tipo_pagamento" } as const;
    const n = ordersUsingName(q, col, row.nome) + ordersUsingName(q, col, String(row.id));
    return n ? inUseMessage("Tipo de pagamento", n) : null;
  },
};

export const TIPOS_ENVIOS: CatalogDef = {
  table: "envio",
  prefix: "tipos-envios",
  noun: "tipo de envio",
  notFound: "Tipo de envio não encontrado",
  fields: {
    nome: { type: "text", required: true },
    valor: { type: "real" },
    prazo_dias: { type: "int", default: 0 },
    ativo: { type: "bool", default: true },
    observacao: { type: "text" },
  },
  activeField: "ativo",
  inUse: (q, row) => {
    // Orders name the method and, since the client's newer forms, carry its id too.
    const byName = ordersUsingName(q, { table: "pedidos", column: "forma_envio" }, row.nome);
    const byId = ordersUsingShipping(q, Number(row.id));
    const n = Math.max(byName, byId);
    return n ? inUseMessage("Tipo de envio", n) : null;
  },
};

export const VENDEDORES: CatalogDef = {
  table: "vendedor",
  prefix: "vendedores",
  noun: "vendedor",
  notFound: "Vendedor não encontrado",
  fields: {
    nome: { type: "text", required: true },
    email: { type: "text" },
    telefone: { type: "text" },
    comissao_percentual: { type: "real", default: 0 },
    ativo: { type: "bool", default: true },
    observacao: { type: "text" },
  },
  activeField: "ativo",
  inUse: (q, row) => {
    const n = ordersUsingName(q, { table: "pedido_itens", column: "vendedor" }, row.nome);
    return n ? inUseMessage("Vendedor", n) : null;
  },
};

export const DESIGNERS: CatalogDef = {
  table: "designer",
  prefix: "designers",
  noun: "designer",
  notFound: "Designer não encontrado",
  fields: {
    nome: { type: "text", required: true },
    email: { type: "text" },
    telefone: { type: "text" },
    ativo: { type: "bool", default: true },
    observacao: { type: "text" },
  },
  activeField: "ativo",
  inUse: (q, row) => {
    const n = ordersUsingName(q, { table: "pedido_itens", column: "designer" }, row.nome);
    return n ? inUseMessage("Designer", n) : null;
  },
};

export const MATERIAIS: CatalogDef = {
  table: "material",
  prefix: "materiais",
  noun: "material",
  notFound: "Material não encontrado",
  fields: {
    nome: { type: "text", required: true },
    tipo: { type: "text", required: true },
    valor_metro: { type: "real", default: 0 },
    estoque_metros: { type: "real", default: 0 },
    ativo: { type: "bool", default: true },
    observacao: { type: "text" },
  },
  activeField: "ativo",
  inUse: (q, row) => {
    const n = ordersUsingName(q, { table: "pedido_itens", column: "tecido" }, row.nome);
    return n ? inUseMessage("Material", n) : null;
  },
};

export const PRODUCOES: CatalogDef = {
  table: "producoes",
  prefix: "producoes",
  noun: "tipo de produção",
  notFound: "Tipo de produção não encontrado",
  fields: {
    name: { type: "text", required: true },
    description: { type: "text" },
    active: { type: "bool", default: true },
  },
  activeField: "active",
  createdAt: true,
  inUse: (q, row) => {
    const n = ordersUsingName(q, { table: "pedido_itens", column: "tipo_producao" }, row.name);
    return n ? inUseMessage("Tipo de produção", n) : null;
  },
};

export const MAQUINAS: CatalogDef = {
  table: "machines",
  prefix: "maquinas",
  noun: "máquina",
  notFound: "Máquina não encontrada",
  fields: {
    name: { type: "text", required: true },
    active: { type: "bool", default: true },
  },
  activeField: "active",
  createdAt: true,
  inUse: (q, row) => {
    const id = Number(row.id);
    const orders = Math.max(ordersUsingMachine(q, id), ordersUsingName(q, { table: "pedidos", column: "sublimacao_maquina" }, row.name));
    // Deleting a machine would cascade its print history away: keep it, deactivate the machine instead.
    const logs = printLogsOfMachine(q, id);
    if (!orders && !logs) return null;
    return inUseMessage("Máquina", orders, logs ? ` e ${logs} registro(s) de impressão` : "");
  },
};
