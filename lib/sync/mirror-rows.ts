import { isDataUrl } from "../media/data-url.ts";
import type { PedidoResponse } from "../orders/wire.ts";
import { toIsoUtc } from "../time.ts";

/**
 * Our rows in the shapes of the original's MySQL "PWA" tables (`pwa_pedidos`, `pwa_pedido_imagens`, `pwa_users`),
 * which the shop's mobile app reads. Column names and types are the original's; values are cut to the column
 * sizes, so an unusually long name can never make a delivery fail forever.
 */

/** The original's soft limit for `items_json` (a MySQL TEXT holds 65,535 bytes). */
export const ITEMS_JSON_SOFT_LIMIT_BYTES = 60_000;
/** A MySQL TEXT column, in bytes. */
export const TEXT_BYTES = 65_535;
/** The item fields kept when the whole list does not fit (the original's choice). */
const ESSENTIAL_ITEM_FIELDS = ["id", "tipo_producao", "descricao", "largura", "altura", "valor_unitario", "item_identificador"];

export type MirrorValue = string | number | null;

type ColumnKind = "int" | "bool" | "datetime" | { varchar: number } | "text";

export const PWA_PEDIDOS_COLUMNS: readonly [string, ColumnKind][] = [
  ["pedido_id", "int"],
  ["numero", { varchar: 50 }],
  ["data_entrada", { varchar: 20 }],
  ["data_entrega", { varchar: 20 }],
  ["observacao", "text"],
  ["prioridade", { varchar: 20 }],
  ["status", { varchar: 50 }],
  ["cliente", { varchar: 255 }],
  ["telefone_cliente", { varchar: 50 }],
  ["cidade_cliente", { varchar: 255 }],
  ["valor_total", { varchar: 50 }],
  ["valor_frete", { varchar: 50 }],
  ["valor_itens", { varchar: 50 }],
  ["tipo_pagamento", { varchar: 100 }],
  ["obs_pagamento", "text"],
  ["forma_envio", { varchar: 100 }],
  ["forma_envio_id", "int"],
  ["financeiro", "bool"],
  ["conferencia", "bool"],
  ["sublimacao", "bool"],
  ["costura", "bool"],
  ["expedicao", "bool"],
  ["pronto", "bool"],
  ["sublimacao_maquina", { varchar: 100 }],
  ["sublimacao_data_impressao", { varchar: 50 }],
  ["items_json", "text"],
  ["data_criacao", "datetime"],
  ["ultima_atualizacao", "datetime"],
];

export const PWA_IMAGENS_COLUMNS: readonly [string, ColumnKind][] = [
  ["pedido_id", "int"],
  ["item_index", "int"],
  ["item_identificador", { varchar: 100 }],
  ["mime_type", { varchar: 50 }],
  ["filename", { varchar: 255 }],
  ["image_base64", "text"],
  ["criado_em", "datetime"],
];

export const PWA_USERS_COLUMNS: readonly [string, ColumnKind][] = [
  ["username", { varchar: 150 }],
  ["password", { varchar: 255 }],
  ["is_admin", "bool"],
  ["is_active", "bool"],
  ["created_at", "datetime"],
  ["updated_at", "datetime"],
];

const sqlType = (k: ColumnKind): string =>
  k === "int" ? "INT" : k === "bool" ? "TINYINT(1)" : k === "datetime" ? "DATETIME" : k === "text" ? "TEXT" : `VARCHAR(${k.varchar})`;

/** The CREATE TABLE statements (only run when a table is missing), with the original's keys and index names. */
export const MIRROR_DDL: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS pwa_pedidos (${PWA_PEDIDOS_COLUMNS.map(([c, k]) => `${c} ${sqlType(k)}${c === "pedido_id" ? " NOT NULL" : " NULL"}`).join(", ")},
    PRIMARY KEY (pedido_id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
  `CREATE TABLE IF NOT EXISTS pwa_pedido_imagens (id INT NOT NULL AUTO_INCREMENT, ${PWA_IMAGENS_COLUMNS.map(([c, k]) => `${c} ${sqlType(k)} NULL`).join(", ")},
    PRIMARY KEY (id), INDEX ix_pwa_pedido_imagens_pedido_id (pedido_id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
  `CREATE TABLE IF NOT EXISTS pwa_users (id INT NOT NULL AUTO_INCREMENT, ${PWA_USERS_COLUMNS.map(([c, k]) => `${c} ${sqlType(k)} NULL`).join(", ")},
    PRIMARY KEY (id), UNIQUE INDEX ix_pwa_users_username (username)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
  // Ours: the row every writer locks first (FOR UPDATE), so the worker and a backfill never interleave, and the
  // last event the mirror reflects.
  `CREATE TABLE IF NOT EXISTS sgp_sync_state (id TINYINT NOT NULL, last_event_id BIGINT NOT NULL DEFAULT 0, updated_at DATETIME NULL,
    PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
  `INSERT IGNORE INTO sgp_sync_state (id, last_event_id) VALUES (1, 0)`,
];

/** `s` cut to at most `max` UTF-8 bytes, never inside a character. */
export function cutBytes(s: string, max: number): string {
  if (s.length * 3 <= max || Buffer.byteLength(s) <= max) return s;
  let out = Buffer.from(s, "utf8").subarray(0, max).toString("utf8");
  // A cut through a multi-byte character decodes to U+FFFD at the end: drop it.
  while (out.endsWith("\uFFFD") && Buffer.byteLength(out) > max - 3) out = out.slice(0, -1);
  return out;
}

/** A stored timestamp as a MySQL DATETIME in UTC (`2026-11-29 10:20:30`), or null when it is not one. */
export function mysqlDateTime(value: unknown): string | null {
  const iso = toIsoUtc(value);
  const m = iso ? /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(iso) : null;
  return m ? `${m[1]} ${m[2]}` : null;
}

/** A value for a column of `kind` (strings cut to the column, booleans as 1/0). */
export function toColumn(kind: ColumnKind, v: unknown): MirrorValue {
  if (v === null || v === undefined) return null;
  if (kind === "int") {
    const n = Number(v);
    return Number.isSafeInteger(n) && Math.abs(n) <= 2_147_483_647 ? n : null;
  }
  if (kind === "bool") return v ? 1 : 0;
  if (kind === "datetime") return mysqlDateTime(v);
  const s = typeof v === "string" ? v : typeof v === "object" ? JSON.stringify(v) : String(v);
  if (kind === "text") return cutBytes(s, TEXT_BYTES);
  return [...s].length > kind.varchar ? [...s].slice(0, kind.varchar).join("") : s;
}

/** The original kept the state inside the city (`"Cidade||UF"`); the mobile app reads it that way. */
export function mirrorCity(cidade: string | null, estado: string | null): string | null {
  if (!estado) return cidade;
  return `${cidade ?? ""}||${estado}`;
}

/**
 * The items as the mirror stores them: data-URL images and `imagem_base64` removed; above 60 KB only the
 * essential fields; still above, `[]` (the original's rule).
 */
export function mirrorItemsJson(items: readonly Record<string, unknown>[]): { json: string; reduced: "no" | "essential" | "empty" } {
  const clean = items.map((item) => {
    const { imagem_base64: _b64, ...rest } = item;
    if (typeof rest.imagem === "string" && isDataUrl(rest.imagem)) rest.imagem = null;
    return rest;
  });
  const full = JSON.stringify(clean);
  if (Buffer.byteLength(full) <= ITEMS_JSON_SOFT_LIMIT_BYTES) return { json: full, reduced: "no" };
  const essential = JSON.stringify(clean.map((item) => Object.fromEntries(ESSENTIAL_ITEM_FIELDS.map((k) => [k, item[k] ?? null]))));
  if (Buffer.byteLength(essential) <= ITEMS_JSON_SOFT_LIMIT_BYTES) return { json: essential, reduced: "essential" };
  return { json: "[]", reduced: "empty" };
}

const rowOf = (columns: readonly [string, ColumnKind][], source: Record<string, unknown>): MirrorValue[] =>
  columns.map(([c, k]) => toColumn(k, source[c]));

/** One `pwa_pedidos` row (values in `PWA_PEDIDOS_COLUMNS` order). */
export function mirrorOrderRow(o: PedidoResponse): { values: MirrorValue[]; reduced: "no" | "essential" | "empty" } {
  const items = mirrorItemsJson(o.items);
  const values = rowOf(PWA_PEDIDOS_COLUMNS, {
    ...o,
    pedido_id: o.id,
    cidade_cliente: mirrorCity(o.cidade_cliente, o.estado_cliente),
    items_json: items.json,
  });
  return { values, reduced: items.reduced };
}

export interface OrderImage {
  pedidoId: number;
  itemIndex: number | null;
  itemIdentificador: string | null;
  filename: string;
  createdAt: string | null;
}

/** One `pwa_pedido_imagens` row (values in `PWA_IMAGENS_COLUMNS` order). */
export function mirrorImageRow(img: OrderImage, base64: string): MirrorValue[] {
  return rowOf(PWA_IMAGENS_COLUMNS, {
    pedido_id: img.pedidoId,
    item_index: img.itemIndex,
    item_identificador: img.itemIdentificador,
    mime_type: "image/jpeg",
    filename: img.filename,
    image_base64: base64,
    criado_em: img.createdAt ?? new Date().toISOString(),
  });
}

export interface MirrorUser {
  username: string;
  isAdmin: boolean;
  isActive: boolean;
  createdAt: string | null;
  updatedAt: string | null;
}

/**
 * One `pwa_users` row. **Ours:** `password` is always NULL — the original copied the bcrypt hash (or a plain
 * password) to the remote database; a mirror never gets password material.
 */
export function mirrorUserRow(u: MirrorUser): MirrorValue[] {
  return rowOf(PWA_USERS_COLUMNS, {
    username: u.username,
    password: null,
    is_admin: u.isAdmin,
    is_active: u.isActive,
    created_at: u.createdAt,
    updated_at: u.updatedAt,
  });
}
