import { randomUUID } from "node:crypto";
import { mkdir, open, rename, stat, unlink, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { MediaStore } from "../media/store.ts";
import { AppError, notFound } from "../errors.ts";
import { TEMPLATE_TYPES, type TemplateType } from "./templates.ts";

/**
 * The HTML sheet templates the client's editor produces: files `templates/template-geral.html` and
 * `templates/template-resumo.html` under the media root (the original's layout, so a taken-over media folder keeps
 * them). They are text to us: stored as sent, handed back as `text/plain` or inside JSON, never served as a page
 * of our origin (an admin's HTML must not run with the API's cookies and origin).
 */

export const TEMPLATES_DIR = "templates";
/** One template's cap: far above a real sheet (a few KB, some with an inline logo). */
export const MAX_HTML_TEMPLATE_BYTES = 5 * 1024 * 1024;

export const htmlTemplatePath = (t: TemplateType) => `${TEMPLATES_DIR}/template-${t}.html`;

const absolute = (media: MediaStore, rel: string): string => {
  const full = media.resolveInside(rel);
  if (!full) throw new Error(`media path escapes the root: ${rel}`);
  return full;
};

/**
 * `PUT /fichas/templates/html`: writes each template given and not empty (the original skipped empty ones).
 * Each file is written beside its target and renamed over it, so a reader sees the old or the new text, never half.
 * @throws AppError 413 when a template is over `MAX_HTML_TEMPLATE_BYTES` (checked before anything is written).
 */
export async function saveHtmlTemplates(media: MediaStore, body: Partial<Record<TemplateType, string | null>>) {
  const todo = TEMPLATE_TYPES.filter((t) => typeof body[t] === "string" && body[t] !== "");
  for (const t of todo) {
    if (Buffer.byteLength(body[t] as string) > MAX_HTML_TEMPLATE_BYTES) {
      throw new AppError(413, `Template HTML '${t}': maior que o limite de ${MAX_HTML_TEMPLATE_BYTES / 1024 / 1024} MB`);
    }
  }
  const files: Partial<Record<TemplateType, string>> = {};
  for (const t of todo) {
    const target = absolute(media, htmlTemplatePath(t));
    const tmp = absolute(media, `${TEMPLATES_DIR}/.template-${t}.${randomUUID()}.tmp`);
    await mkdir(dirname(target), { recursive: true });
    try {
      await writeFile(tmp, body[t] as string, { encoding: "utf8", flag: "wx" });
      await rename(tmp, target);
    } catch (err) {
      await unlink(tmp).catch(() => {});
      throw err;
    }
    files[t] = htmlTemplatePath(t);
  }
  return { message: "Templates HTML salvos com sucesso", files };
}

/** A template file's real path (symlinks out of the root refused) and size, or null when there is none. */
async function locate(media: MediaStore, t: TemplateType): Promise<{ path: string; size: number; mtimeMs: number } | null> {
  const real = await media.realPathInside(htmlTemplatePath(t));
  if (!real) return null;
  const info = await stat(real).catch(() => null);
  return info?.isFile() ? { path: real, size: info.size, mtimeMs: info.mtimeMs } : null;
}

/** `GET /fichas/templates/html`: what exists, with size and modification time (ISO UTC). */
export async function listHtmlTemplates(media: MediaStore) {
  const templates: Record<string, unknown> = {};
  for (const t of TEMPLATE_TYPES) {
    const f = await locate(media, t);
    templates[t] = f
      ? { exists: true, size: f.size, modified: new Date(f.mtimeMs).toISOString(), path: htmlTemplatePath(t) }
      : { exists: false };
  }
  return { templates, templates_dir: TEMPLATES_DIR };
}

/** The text of a template, or null when there is none. A file grown past twice the cap by hand is refused (413). */
export async function readHtmlTemplate(media: MediaStore, t: TemplateType): Promise<string | null> {
  const f = await locate(media, t);
  if (!f) return null;
  if (f.size > 2 * MAX_HTML_TEMPLATE_BYTES) throw new AppError(413, `Template HTML '${t}': arquivo grande demais para ser lido`);
  const fh = await open(f.path, "r").catch(() => null);
  if (!fh) return null;
  try {
    return await fh.readFile({ encoding: "utf8" });
  } finally {
    await fh.close();
  }
}

/**
 * `GET /fichas/templates/html/{t}`: the raw HTML, as plain text (nosniff, a sandboxing CSP, no caching): opened in
 * a browser it shows as source, never as a page of our origin.
 */
export async function htmlTemplateResponse(media: MediaStore, t: TemplateType): Promise<Response> {
  const html = await readHtmlTemplate(media, t);
  if (html === null) throw notFound(`Template HTML '${t}' não encontrado`);
  return new Response(html, {
    status: 200,
    headers: {
      "Content-Type": "text/plain; charset=utf-8",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Content-Disposition": `inline; filename="template-${t}.html"`,
      "Cache-Control": "no-store",
    },
  });
}

/** `GET /fichas/templates/html/{t}/content`: `{html, exists}`; a missing or blank file is `{html: null, exists: false}`. */
export async function htmlTemplateContent(media: MediaStore, t: TemplateType): Promise<{ html: string | null; exists: boolean }> {
  const html = await readHtmlTemplate(media, t);
  return html === null || html.trim() === "" ? { html: null, exists: false } : { html, exists: true };
}
