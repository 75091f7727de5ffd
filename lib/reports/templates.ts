import * as v from "valibot";
import type { Sql, Tx } from "../db/connection.ts";
import { nowIso, toIsoUtc } from "../time.ts";

/**
 * Report templates of the client's template editor (`/relatorios/templates`; spec §2): one row per type in
 * `relatorio_templates` (migration 008), so every machine of the shop prints with the same layout. Keys the
 * client sends that we do not know are kept (column `extra`) and sent back.
 */

export const TEMPLATE_TYPES = ["envios", "fechamentos"] as const;
export type TemplateType = (typeof TEMPLATE_TYPES)[number];

export type Template = Record<string, unknown> & {
  title: string;
  headerFields: Record<string, unknown>;
  styles: Record<string, unknown>;
  tableConfig: Record<string, unknown> | null;
  pageConfig: Record<string, unknown> | null;
  updatedAt: string | null;
};

/**
 * The defaults when none is stored: the client editor's own defaults, plus the spec's `headerBg`/`headerColor`
 * shorthands in `tableConfig`. `updatedAt` is null: nothing was saved yet.
 */
export const DEFAULT_TEMPLATES: Record<TemplateType, Template> = {
  envios: {
    title: "Relatório de Envios",
    headerFields: {
      title: "Relatório de Envios",
      subtitle: "",
      periodoLabel: "Período:",
      dataGeracaoLabel: "Gerado em:",
      totalPedidosLabel: "Total de pedidos:",
    },
    styles: {
      fontFamily: "system-ui, -apple-system, sans-serif",
      fontSize: 12,
      titleSize: 20,
      subtitleSize: 14,
      textColor: "#0f172a",
      headerColor: "#1e293b",
      borderColor: "#cbd5e1",
      backgroundColor: "#ffffff",
    },
    tableConfig: {
      showHeader: true,
      headerStyle: { backgroundColor: "#2563eb", textColor: "#ffffff", bold: true },
      headerBg: "#2563eb",
      headerColor: "#ffffff",
      alternatingRows: true,
      cellPadding: 6,
    },
    pageConfig: { marginTop: 20, marginBottom: 20, marginLeft: 14, marginRight: 14 },
    updatedAt: null,
  },
  fechamentos: {
    title: "Relatório de Fechamentos",
    headerFields: {
      title: "Relatório de Fechamentos",
      subtitle: "",
      periodoLabel: "Período:",
      dataGeracaoLabel: "Emitido em:",
      statusLabel: "Status:",
    },
    styles: {
      fontFamily: "system-ui, -apple-system, sans-serif",
      fontSize: 11,
      titleSize: 18,
      subtitleSize: 13,
      textColor: "#0f172a",
      headerColor: "#1e293b",
      borderColor: "#cbd5e1",
      backgroundColor: "#ffffff",
    },
    tableConfig: {
      showHeader: true,
      headerStyle: { backgroundColor: "#e2e8f0", textColor: "#1e293b", bold: true },
      headerBg: "#e2e8f0",
      alternatingRows: true,
      cellPadding: 4,
    },
    pageConfig: { marginTop: 22, marginBottom: 22, marginLeft: 14, marginRight: 14 },
    updatedAt: null,
  },
};

/** One template's JSON may not pass this (a real one is ~1 KB). */
export const MAX_TEMPLATE_BYTES = 64 * 1024;

const object = v.record(v.string(), v.unknown());
const templateSchema = v.pipe(
  v.looseObject({
    title: v.pipe(
      v.string("title deve ser texto"),
      v.trim(),
      v.minLength(1, "Informe o título"),
      v.maxLength(200, "Título com mais de 200 caracteres"),
    ),
    headerFields: v.optional(object, {}),
    styles: v.optional(object, {}),
    tableConfig: v.optional(v.nullable(object), null),
    pageConfig: v.optional(v.nullable(object), null),
  }),
  v.check((t) => JSON.stringify(t).length <= MAX_TEMPLATE_BYTES, `Template maior que ${MAX_TEMPLATE_BYTES / 1024} KB`),
);

/** `PUT /relatorios/templates`: both templates (the editor always sends both). */
export const templatesBody = v.object({ envios: templateSchema, fechamentos: templateSchema });
export type TemplatesInput = v.InferOutput<typeof templatesBody>;

interface Row {
  template_type: string;
  title: string;
  headerFields: string | null;
  styles: string | null;
  tableConfig: string | null;
  pageConfig: string | null;
  extra: string | null;
  updatedAt: string | null;
}

function json<T>(text: string | null, fallback: T): T {
  if (text === null || text === undefined || text === "") return fallback;
  try {
    const v = JSON.parse(text);
    return v && typeof v === "object" && !Array.isArray(v) ? v : fallback;
  } catch {
    return fallback;
  }
}

function fromRow(r: Row): Template {
  return {
    ...json<Record<string, unknown>>(r.extra, {}),
    title: r.title,
    headerFields: json(r.headerFields, {}),
    styles: json(r.styles, {}),
    tableConfig: json<Record<string, unknown> | null>(r.tableConfig, null),
    pageConfig: json<Record<string, unknown> | null>(r.pageConfig, null),
    updatedAt: toIsoUtc(r.updatedAt),
  };
}

/** `GET /relatorios/templates`: both, the stored one or the default. */
export function readTemplates(q: Sql): Record<TemplateType, Template> {
  const stored = new Map(
    q
      .all<Row>("SELECT template_type, title, headerFields, styles, tableConfig, pageConfig, extra, updatedAt FROM relatorio_templates")
      .map((r) => [r.template_type, r]),
  );
  const one = (t: TemplateType) => {
    const r = stored.get(t);
    return r ? fromRow(r) : structuredClone(DEFAULT_TEMPLATES[t]);
  };
  return { envios: one("envios"), fechamentos: one("fechamentos") };
}

/** Upserts both templates in the caller's transaction and returns them as stored. */
export function saveTemplates(tx: Tx, input: TemplatesInput): Record<TemplateType, Template> {
  const now = nowIso();
  for (const type of TEMPLATE_TYPES) {
    const { title, headerFields, styles, tableConfig, pageConfig, updatedAt: _ignored, ...extra } = input[type] as Record<string, unknown>;
    tx.run(
      `INSERT INTO relatorio_templates (template_type, title, headerFields, styles, tableConfig, pageConfig, extra, updatedAt)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (template_type) DO UPDATE SET title = excluded.title, headerFields = excluded.headerFields, styles = excluded.styles,
         tableConfig = excluded.tableConfig, pageConfig = excluded.pageConfig, extra = excluded.extra, updatedAt = excluded.updatedAt`,
      type,
      title as string,
      JSON.stringify(headerFields),
      JSON.stringify(styles),
      tableConfig === null ? null : JSON.stringify(tableConfig),
      pageConfig === null ? null : JSON.stringify(pageConfig),
      JSON.stringify(extra),
      now,
    );
  }
  return readTemplates(tx);
}
