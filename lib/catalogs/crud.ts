import * as v from "valibot";
import type { Sql, Tx } from "../db/connection.ts";
import { conflict, notFound } from "../errors.ts";
import { foldText } from "../text.ts";
import { nowIso, toIsoUtc } from "../time.ts";

/**
 * The one CRUD implementation behind every catalog (clientes, pagamentos, envios, vendedores, designers,
 * materiais, producoes, maquinas). A catalog is described by a `CatalogDef`; these functions do the rest.
 */

/** How a wire field is stored: text, integer, real, or a 0/1 flag sent as a boolean. */
export type FieldType = "text" | "int" | "real" | "bool";

export interface FieldDef {
  type: FieldType;
  /** Column name when it differs from the wire name. */
  column?: string;
  /** Must be present (and non-blank) on create; may never become null. */
  required?: boolean;
  /** Value stored on create when the field is absent. A field without a default is nullable. */
  default?: string | number | boolean;
}

export type CatalogRow = Record<string, string | number | boolean | null>;

export interface CatalogDef {
  table: string;
  /** Route prefix without slashes (`vendedores`), for the route factory and the docs. */
  prefix: string;
  /** Singular noun for summaries and messages (`vendedor`). */
  noun: string;
  /** The 404 detail of the original (`"Vendedor não encontrado"`). */
  notFound: string;
  /** Wire name → field, in response order (after `id`). */
  fields: Record<string, FieldDef>;
  /** Wire name of the active flag (`ativo` / `active`), for the `/ativos` list. */
  activeField?: string;
  /** Status of a successful create: 201 for the catalogs, 200 for clientes (as the original). */
  createStatus?: 200 | 201;
  /** When set, a delete answers 200 `{message}` (clientes); otherwise 204 with no body. */
  deletedMessage?: string;
  /** The table has a `created_at` column, stamped on create and sent as ISO UTC. */
  createdAt?: boolean;
  /** Keep a folded copy of one field in a column (`cliente.nome_busca`), for accent-insensitive search. */
  folded?: { field: string; column: string };
  /**
   * Why this row may not be deleted (orders still refer to it), or null. Orders hold catalog entries by name,
   * so deleting one in use would leave them pointing at nothing.
   */
  inUse?(q: Sql, row: CatalogRow): string | null;
}

const columnOf = (name: string, f: FieldDef) => f.column ?? name;
const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** A number as a JSON number or a numeric string (`"2,5"` too): the client's forms send both. */
export const numberInput = (integer: boolean): v.GenericSchema<unknown, number> => {
  const n = v.pipe(
    v.union([v.number(), v.pipe(v.string(), v.trim(), v.regex(/^-?\d+([.,]\d+)?$/, "Número inválido"))]),
    v.transform((x) => (typeof x === "number" ? x : Number(x.replace(",", ".")))),
    v.number(),
    v.finite("Número inválido"),
  );
  return integer ? v.pipe(n, v.integer("Deve ser um número inteiro")) : n;
};

const boolInput = v.pipe(
  v.union([v.boolean(), v.picklist([0, 1]), v.picklist(["true", "false"])]),
  v.transform((x) => x === true || x === 1 || x === "true"),
);

function fieldSchema(f: FieldDef): v.GenericSchema {
  switch (f.type) {
    case "text":
      return f.required
        ? v.pipe(v.string(), v.trim(), v.minLength(1, "Campo obrigatório"), v.maxLength(500))
        : v.pipe(v.string(), v.maxLength(2000));
    case "int":
      return numberInput(true);
    case "real":
      return numberInput(false);
    case "bool":
      return boolInput as v.GenericSchema;
  }
}

/** A field that may be null: no default, not required. */
const nullableField = (f: FieldDef) => !f.required && f.default === undefined;

export type CatalogBody = Record<string, unknown>;

/**
 * The create and update body schemas of a catalog. Create: required fields present, defaults applied later.
 * Update: any subset; `null` only for nullable fields (the original accepted it and failed at commit with a 500).
 * Unknown keys (the client sends `id` in PATCH bodies) are dropped.
 */
export function catalogSchemas(def: CatalogDef): {
  create: v.GenericSchema<unknown, CatalogBody>;
  update: v.GenericSchema<unknown, CatalogBody>;
} {
  const create: Record<string, v.GenericSchema> = {};
  const update: Record<string, v.GenericSchema> = {};
  for (const [name, f] of Object.entries(def.fields)) {
    const base = fieldSchema(f);
    const maybeNull = nullableField(f) ? v.nullable(base) : base;
    create[name] = f.required ? base : v.optional(maybeNull);
    update[name] = v.optional(maybeNull);
  }
  return {
    create: v.object(create) as unknown as v.GenericSchema<unknown, CatalogBody>,
    update: v.object(update) as unknown as v.GenericSchema<unknown, CatalogBody>,
  };
}

const toStored = (f: FieldDef, value: unknown): string | number | null => {
  if (value === null || value === undefined) return null;
  if (f.type === "bool") return value ? 1 : 0;
  if (f.type === "text") return String(value);
  return Number(value);
};

/** A stored row in its wire shape: `id` first, numbers as numbers, flags as booleans, timestamps ISO UTC. */
export function toWire(def: CatalogDef, row: Record<string, unknown>): CatalogRow {
  const out: CatalogRow = { id: Number(row.id) };
  for (const [name, f] of Object.entries(def.fields)) {
    const raw = row[columnOf(name, f)];
    if (raw === null || raw === undefined) out[name] = f.type === "bool" ? Boolean(f.default ?? false) : null;
    else if (f.type === "bool") out[name] = Number(raw) !== 0;
    else if (f.type === "text") out[name] = String(raw);
    else out[name] = Number(raw);
  }
  if (def.createdAt) out.created_at = toIsoUtc(row.created_at);
  return out;
}

const selectSql = (def: CatalogDef) => `SELECT * FROM ${quote(def.table)}`;

export interface ListOptions {
  activeOnly?: boolean;
  /** Accent- and case-insensitive "contains" on the folded field. */
  search?: string;
}

/** Every row, oldest first (the original's insertion order); optionally only active ones, or matching a search. */
export function listCatalog(q: Sql, def: CatalogDef, opts: ListOptions = {}): CatalogRow[] {
  const where: string[] = [];
  const params: string[] = [];
  if (opts.activeOnly && def.activeField) {
    const f = def.fields[def.activeField];
    where.push(`coalesce(${quote(columnOf(def.activeField, f))}, 1) != 0`);
  }
  const term = opts.search === undefined ? "" : foldText(opts.search);
  if (term && def.folded) {
    where.push(`${quote(def.folded.column)} LIKE ? ESCAPE '\\'`);
    params.push(`%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  const sql = `${selectSql(def)}${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY id`;
  const rows = q.all<Record<string, unknown>>(sql, ...params).map((r) => toWire(def, r));
  // Small catalogs without a stored folded column are searched in memory by their name field.
  if (term && !def.folded) return rows.filter((r) => foldText(r.nome ?? r.name).includes(term));
  return rows;
}

function findRaw(q: Sql, def: CatalogDef, id: number): Record<string, unknown> {
  const row = q.get<Record<string, unknown>>(`${selectSql(def)} WHERE id = ?`, id);
  if (!row) throw notFound(def.notFound);
  return row;
}

/** One row by id; 404 with the catalog's message. */
export const getCatalog = (q: Sql, def: CatalogDef, id: number): CatalogRow => toWire(def, findRaw(q, def, id));

function foldedValue(def: CatalogDef, values: Record<string, unknown>): [string, string] | null {
  if (!def.folded) return null;
  return [def.folded.column, foldText(values[def.folded.field])];
}

/** Inserts a row from a validated create body (defaults filled in) and returns it. */
export function createCatalog(tx: Tx, def: CatalogDef, body: CatalogBody): CatalogRow {
  const cols: string[] = [];
  const vals: (string | number | null)[] = [];
  for (const [name, f] of Object.entries(def.fields)) {
    const value = body[name] === undefined ? f.default : body[name];
    cols.push(quote(columnOf(name, f)));
    vals.push(toStored(f, value));
  }
  const folded = foldedValue(def, body);
  if (folded) {
    cols.push(quote(folded[0]));
    vals.push(folded[1]);
  }
  if (def.createdAt) {
    cols.push("created_at");
    vals.push(nowIso());
  }
  const r = tx.run(`INSERT INTO ${quote(def.table)} (${cols.join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`, ...vals);
  return getCatalog(tx, def, r.lastInsertRowid);
}

/** Applies a validated partial body (absent keys untouched) and returns the row; 404 when missing. */
export function updateCatalog(tx: Tx, def: CatalogDef, id: number, body: CatalogBody): CatalogRow {
  const current = findRaw(tx, def, id);
  const sets: string[] = [];
  const vals: (string | number | null)[] = [];
  for (const [name, f] of Object.entries(def.fields)) {
    if (body[name] === undefined) continue;
    sets.push(`${quote(columnOf(name, f))} = ?`);
    vals.push(toStored(f, body[name]));
  }
  if (def.folded && body[def.folded.field] !== undefined) {
    sets.push(`${quote(def.folded.column)} = ?`);
    vals.push(foldText(body[def.folded.field]));
  }
  if (sets.length) tx.run(`UPDATE ${quote(def.table)} SET ${sets.join(", ")} WHERE id = ?`, ...vals, Number(current.id));
  return getCatalog(tx, def, id);
}

/** Deletes a row; 404 when missing, 409 when orders still refer to it (deactivate it instead). */
export function deleteCatalog(tx: Tx, def: CatalogDef, id: number): CatalogRow {
  const row = toWire(def, findRaw(tx, def, id));
  const reason = def.inUse?.(tx, row);
  if (reason) throw conflict(reason);
  tx.run(`DELETE FROM ${quote(def.table)} WHERE id = ?`, id);
  return row;
}
