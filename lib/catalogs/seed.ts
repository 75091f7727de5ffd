import type { Sql } from "../db/connection.ts";
import { foldText } from "../text.ts";
import { nowIso } from "../time.ts";

/**
 * The default catalog of a fresh database. Each table is seeded only when it is empty, so an existing
 * database (or an admin's deliberate edits) is never touched.
 */

/** The production types the client's order form knows (`value` = name, `label` = description). */
export const PRODUCTION_TYPES: [name: string, description: string][] = [
  ["painel", "Painel"],
  ["generica", "Genérica"],
  ["totem", "Totem"],
  ["lona", "Lona"],
  ["adesivo", "Adesivo"],
  ["canga", "Canga"],
  ["impressao_3d", "Impressão 3D"],
  ["almofada", "Almofada"],
  ["bolsinha", "Bolsinha"],
  ["mesa_babado", "Mesa com babado"],
  ["mochilinha", "Mochilinha"],
];

const PAYMENT_METHODS: [nome: string, parcelasMax: number][] = [
  ["Pix", 1],
  ["Dinheiro", 1],
  ["Cartão de débito", 1],
  ["Cartão de crédito", 12],
  ["Boleto", 1],
  ["Transferência bancária", 1],
];

const SHIPPING_METHODS: [nome: string, valor: number, prazoDias: number][] = [
  ["Retirada no local", 0, 0],
  ["Motoboy", 0, 1],
  ["Correios", 0, 5],
  ["Transportadora", 0, 7],
];

const isEmpty = (q: Sql, table: string) => !q.get(`SELECT 1 AS x FROM ${table} LIMIT 1`);

/** Inserts the default production types, payment and shipping methods into the tables that are empty. */
export function seedCatalogs(q: Sql): { seeded: string[] } {
  const seeded: string[] = [];
  if (isEmpty(q, "producoes")) {
    const now = nowIso();
    for (const [name, description] of PRODUCTION_TYPES)
      q.run("INSERT INTO producoes (name, description, active, created_at) VALUES (?, ?, 1, ?)", name, description, now);
    seeded.push("producoes");
  }
  if (isEmpty(q, "payment")) {
    for (const [nome, parcelas] of PAYMENT_METHODS)
      q.run("INSERT INTO payment (nome, parcelas_max, taxa_percentual, ativo) VALUES (?, ?, 0, 1)", nome, parcelas);
    seeded.push("payment");
  }
  if (isEmpty(q, "envio")) {
    for (const [nome, valor, prazo] of SHIPPING_METHODS)
      q.run("INSERT INTO envio (nome, valor, prazo_dias, ativo) VALUES (?, ?, ?, 1)", nome, valor, prazo);
    seeded.push("envio");
  }
  return { seeded };
}

/** Fills `cliente.nome_busca` where it is missing (customers taken over from the original system). */
export function backfillCustomerSearch(q: Sql): number {
  const rows = q.all<{ id: number; nome: string | null }>("SELECT id, nome FROM cliente WHERE nome_busca IS NULL");
  for (const r of rows) q.run("UPDATE cliente SET nome_busca = ? WHERE id = ?", foldText(r.nome), r.id);
  return rows.length;
}
