import type { Sql, Tx } from "../db/connection.ts";
import type { Logger } from "../log.ts";
import { AppError } from "../errors.ts";
import { nowIso, toIsoUtc } from "../time.ts";

/**
 * Sheet layouts (`/fichas/templates`): one per `template_type`, the defaults of the original when none is stored.
 * Keys the client sends that we do not know are kept, on the layout and on each field, and sent back.
 */

export const TEMPLATE_TYPES = ["geral", "resumo"] as const;
export type TemplateType = (typeof TEMPLATE_TYPES)[number];
export const FIELD_TYPES = ["text", "date", "number", "currency", "table", "custom", "image"] as const;

type Obj = Record<string, unknown>;

/** The page keys of a layout, in the order they are sent. */
const PAGE_KEYS = ["title", "width", "height", "marginTop", "marginBottom", "marginLeft", "marginRight"] as const;
/** Keys the server owns: never stored as the client's extras. */
const SERVER_KEYS = new Set<string>(["templateType", "updatedAt", "fields", ...PAGE_KEYS]);
/** A stored layout (fields and extras as JSON) stays well inside a row and a response. */
const MAX_TEMPLATE_BYTES = 16 * 1024 * 1024;

/** The page of a layout and its fields. */
interface Layout {
  title: string;
  width: number;
  height: number;
  marginTop: number;
  marginBottom: number;
  marginLeft: number;
  marginRight: number;
  fields: Obj[];
}

/** A layout as sent: `templateType` and `updatedAt` first, the client's unknown keys last. */
export interface TemplateWire extends Layout, Obj {
  templateType: TemplateType;
  updatedAt: string;
}

/**
 * A field as sent: every declared key present (`fontSize` 11, `visible` and `editable` true when unset, `bold` and
 * `imageUrl` null), unknown keys after them.
 */
export function withFieldDefaults(f: Obj): Obj {
  const { id, type, label, key, x, y, width, height, fontSize, bold, visible, editable, imageUrl, ...rest } = f;
  return {
    id,
    type,
    label,
    key,
    x,
    y,
    width,
    height,
    fontSize: fontSize ?? 11,
    bold: bold ?? null,
    visible: visible ?? true,
    editable: editable ?? true,
    imageUrl: imageUrl ?? null,
    ...rest,
  };
}

const field = (
  id: string,
  type: string,
  label: string,
  key: string,
  x: number,
  y: number,
  width: number,
  height: number,
  fontSize: number,
  bold?: boolean,
) => withFieldDefaults({ id, type, label, key, x, y, width, height, fontSize, bold: bold ?? null });

/** The original's defaults (its `DEFAULT_TEMPLATES`), field by field. */
const DEFAULTS: Record<TemplateType, Layout> = {
  geral: {
    title: "FICHA DE SERVIÇO - GERAL",
    width: 210,
    height: 297,
    marginTop: 10,
    marginBottom: 10,
    marginLeft: 15,
    marginRight: 15,
    fields: [
      field("title_field", "text", "FICHA DE SERVIÇO", "title", 70, 10, 70, 10, 16, true),
      field("numero_os_field", "text", "OS:", "numero", 10, 25, 30, 6, 11),
      field("cliente_field", "text", "Cliente:", "cliente", 10, 35, 80, 6, 11),
      field("descricao_field", "text", "Descrição:", "item_name", 10, 50, 90, 8, 11),
    ],
  },
  resumo: {
    title: "FICHA DE SERVIÇO - RESUMO PRODUÇÃO",
    width: 70,
    height: 99,
    marginTop: 3,
    marginBottom: 3,
    marginLeft: 5,
    marginRight: 5,
    fields: [
      field("numero_os_resumo", "text", "OS:", "numero", 5, 5, 15, 5, 10, true),
      field("descricao_resumo", "text", "Desc:", "item_name", 5, 12, 60, 8, 9),
      field("tamanho_resumo", "text", "Tam:", "dimensoes", 5, 22, 30, 5, 8),
      field("quantidade_resumo", "number", "Qtd:", "quantity", 5, 30, 15, 5, 9),
      field("tecido_resumo", "text", "Tecido:", "tecido", 5, 38, 30, 5, 8),
    ],
  },
};

/** A fresh copy of the default layout of `type` (callers may change it). */
export const defaultTemplate = (type: TemplateType, updatedAt = nowIso()): TemplateWire =>
  structuredClone({ templateType: type, updatedAt, ...DEFAULTS[type] });

interface TemplateRow {
  template_type: string;
  title: string;
  width: number;
  height: number;
  marginTop: number;
  marginBottom: number;
  marginLeft: number;
  marginRight: number;
  fields: string;
  extra: string | null;
  updatedAt: string;
}

/** Parses a stored JSON column; a damaged one (hand-edited legacy row) reads as `fallback` and is logged. */
function parseJson<T>(text: string | null, fallback: T, check: (x: unknown) => boolean, log: Logger | undefined, what: string): T {
  if (text === null || text === "") return fallback;
  try {
    const parsed: unknown = JSON.parse(text);
    if (check(parsed)) return parsed as T;
  } catch {
    // fall through
  }
  log?.error({ what }, "unreadable stored ficha template JSON; sent as its default");
  return fallback;
}

const isObj = (x: unknown): x is Obj => !!x && typeof x === "object" && !Array.isArray(x);

function toWire(type: TemplateType, r: TemplateRow, log?: Logger): TemplateWire {
  const fields = parseJson<unknown[]>(r.fields, [], Array.isArray, log, `${type}.fields`).filter(isObj).map(withFieldDefaults);
  const extra = parseJson<Obj>(r.extra, {}, isObj, log, `${type}.extra`);
  const out: TemplateWire = {
    templateType: type,
    updatedAt: toIsoUtc(r.updatedAt) ?? nowIso(),
    title: String(r.title ?? ""),
    width: Number(r.width),
    height: Number(r.height),
    marginTop: Number(r.marginTop),
    marginBottom: Number(r.marginBottom),
    marginLeft: Number(r.marginLeft),
    marginRight: Number(r.marginRight),
    fields,
  };
  for (const [k, val] of Object.entries(extra)) if (!SERVER_KEYS.has(k)) out[k] = val;
  return out;
}

/** `GET /fichas/templates`: `{geral, resumo}`, each the stored layout or the default. */
export function readTemplates(q: Sql, log?: Logger): Record<TemplateType, TemplateWire> {
  const rows = new Map(q.all<TemplateRow>("SELECT * FROM ficha_templates").map((r) => [r.template_type, r]));
  const one = (t: TemplateType) => {
    const r = rows.get(t);
    return r ? toWire(t, r, log) : defaultTemplate(t);
  };
  return { geral: one("geral"), resumo: one("resumo") };
}

/** Upserts one layout (validated by `templatesBody`): page keys in columns, fields and extras as JSON. */
function upsertTemplate(tx: Tx, type: TemplateType, t: Obj, now: string): void {
  const fields = JSON.stringify((t.fields as Obj[]).map(withFieldDefaults));
  const extra: Obj = {};
  for (const [k, val] of Object.entries(t)) if (!SERVER_KEYS.has(k)) extra[k] = val;
  const extraJson = Object.keys(extra).length ? JSON.stringify(extra) : null;
  if (Buffer.byteLength(fields) + (extraJson ? Buffer.byteLength(extraJson) : 0) > MAX_TEMPLATE_BYTES) {
    throw new AppError(413, `Template ${type}: maior que o limite de ${MAX_TEMPLATE_BYTES / 1024 / 1024} MB`);
  }
  const page = PAGE_KEYS.map((k) => t[k] as string | number);
  tx.run(
    `INSERT INTO ficha_templates (template_type, title, width, height, marginTop, marginBottom, marginLeft, marginRight, fields, extra, updatedAt)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (template_type) DO UPDATE SET title = excluded.title, width = excluded.width, height = excluded.height,
       marginTop = excluded.marginTop, marginBottom = excluded.marginBottom, marginLeft = excluded.marginLeft,
       marginRight = excluded.marginRight, fields = excluded.fields, extra = excluded.extra, updatedAt = excluded.updatedAt`,
    type,
    ...page,
    fields,
    extraJson,
    now,
  );
}

/** `PUT /fichas/templates`: both layouts in one transaction; returns what `GET` now answers. */
export function saveTemplates(tx: Tx, body: Record<TemplateType, Obj>, log?: Logger): Record<TemplateType, TemplateWire> {
  const now = nowIso();
  for (const t of TEMPLATE_TYPES) upsertTemplate(tx, t, body[t], now);
  return readTemplates(tx, log);
}
