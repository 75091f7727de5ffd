import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { promisify } from "node:util";
import { gzip as gzipCallback } from "node:zlib";
import * as v from "valibot";
import { AppError, notFound } from "../errors.ts";
import { defineFunction } from "../function.ts";
import { EXPLORER_SCRIPT, EXPLORER_STYLE } from "./explorer.ts";

/**
 * The API explorer (`/docs`): Swagger UI from the `swagger-ui-dist` package, served by this server (no CDN: the
 * shop's LAN may have no internet), plus a small script and stylesheet of ours (the "Entrar" form, the setup).
 *
 * Where Swagger UI comes from, as for the board (lib/painel/assets.ts): `build.mjs` embeds its two files in
 * dist/sgp.mjs (esbuild `define`s below), so the deployable reads neither node_modules nor the network; from the
 * source tree they are read from node_modules on the first request.
 */

/** The files under /docs/, by the name in their URL. */
export const DOCS_FILES = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "sgp-docs.css": "text/css; charset=utf-8",
  "sgp-docs.js": "text/javascript; charset=utf-8",
} as const;
export type DocsFile = keyof typeof DOCS_FILES;

/** `?v=<version>` on the files' URLs (any other value: served, not cached for good). */
export const docsFileQuery = v.object({ v: v.optional(v.pipe(v.string(), v.maxLength(64))) });

interface Asset {
  body: Uint8Array<ArrayBuffer>;
  /** Compressed once, on first use: the bundle is 1.7 MB, gzipping it per request would cost tens of ms. */
  gzipped: Promise<Uint8Array<ArrayBuffer>> | null;
}

export interface DocsAssets {
  files: Record<DocsFile, Asset>;
  /** A hash of every file: the `?v=` of their URLs in the page, and their ETag. */
  version: string;
}

// Replaced by string literals in the server bundle (build.mjs); undeclared (typeof "undefined") from the source tree.
declare const SGP_SWAGGER_UI_JS: string | undefined;
declare const SGP_SWAGGER_UI_CSS: string;

const gzipAsync = promisify(gzipCallback);

/** Accept-Encoding allows gzip (no q=0); the same rule as the runtime's (runtime/respond.ts). */
function acceptsGzip(header: string | null): boolean {
  const m = header ? /(?:^|,)\s*(gzip|\*)\s*(?:;\s*q\s*=\s*([\d.]+))?/i.exec(header) : null;
  return !!m && (m[2] === undefined || Number(m[2]) > 0);
}

let loading: Promise<DocsAssets> | null = null;

export function docsAssets(): Promise<DocsAssets> {
  loading ??= load().catch((err: unknown) => {
    loading = null; // retried by the next request
    throw new AppError(503, `Documentação indisponível: não foi possível ler o Swagger UI (${(err as Error).message}).`);
  });
  return loading;
}

async function load(): Promise<DocsAssets> {
  let js: string;
  let css: string;
  if (typeof SGP_SWAGGER_UI_JS === "string") {
    js = SGP_SWAGGER_UI_JS;
    css = SGP_SWAGGER_UI_CSS;
  } else {
    const require = createRequire(import.meta.url);
    [js, css] = await Promise.all([
      readFile(require.resolve("swagger-ui-dist/swagger-ui-bundle.js"), "utf8"),
      readFile(require.resolve("swagger-ui-dist/swagger-ui.css"), "utf8"),
    ]);
  }
  // The source map is not shipped: a browser with its devtools open would ask for it and get a 404.
  const texts: Record<DocsFile, string> = {
    "swagger-ui.css": css.replace(/\/\*# sourceMappingURL=[^*]*\*\/\s*$/, ""),
    "swagger-ui-bundle.js": js.replace(/\/\/# sourceMappingURL=\S+\s*$/, ""),
    "sgp-docs.css": EXPLORER_STYLE,
    "sgp-docs.js": EXPLORER_SCRIPT,
  };
  const hash = createHash("sha256");
  for (const t of Object.values(texts)) hash.update(t).update("\0");
  const files = Object.fromEntries(
    Object.entries(texts).map(([name, t]) => [name, { body: new TextEncoder().encode(t), gzipped: null }]),
  ) as Record<DocsFile, Asset>;
  return { files, version: hash.digest("hex").slice(0, 16) };
}

/** `API_DOCS=false` turns /docs, its files and /openapi.json off. */
export function requireDocs(enabled: boolean): void {
  if (!enabled) throw notFound("Documentação da API desativada neste servidor (API_DOCS=false)");
}

/**
 * `Content-Security-Policy` of the page: its own scripts and styles only, no inline code, requests to this server
 * only (Swagger UI sets its inline styles through the DOM, which the policy allows; the Chromium test checks that
 * the page logs no violation).
 */
export const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; font-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

/** The HTML page: references the current files by version, revalidated on every load. */
export function docsPage(a: DocsAssets): Response {
  const v = a.version;
  const html = `<!doctype html>
<html lang="pt-BR">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>API · SGP</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/docs/swagger-ui.css?v=${v}">
<link rel="stylesheet" href="/docs/sgp-docs.css?v=${v}">
<script defer src="/docs/swagger-ui-bundle.js?v=${v}"></script>
<script defer src="/docs/sgp-docs.js?v=${v}"></script>
</head>
<body>
<header class="sgp-topo">
<h1>SGP · API</h1>
<p>Especificação: <a href="/openapi.json">/openapi.json</a></p>
<form class="sgp-entrar" id="sgp-entrar" autocomplete="on">
<label>Usuário <input name="username" autocomplete="username" required></label>
<label>Senha <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Entrar</button>
</form>
<div class="sgp-sessao" id="sgp-sessao" hidden>Conectado como <b id="sgp-usuario"></b> <button type="button" id="sgp-sair">Sair</button></div>
<p class="sgp-aviso" id="sgp-aviso" role="status" aria-live="polite"></p>
</header>
<main id="swagger-ui"></main>
<noscript>O explorador da API precisa de JavaScript; a especificação está em <a href="/openapi.json">/openapi.json</a>.</noscript>
</body>
</html>
`;
  return new Response(html, {
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-cache",
      "content-security-policy": DOCS_CSP,
      ...SECURITY_HEADERS,
    },
  });
}

/**
 * One file. Requested with the current `?v=`, it may be cached for good (a new version is a new URL); otherwise
 * it is revalidated (ETag, 304). Sent gzipped when the client accepts it (compressed once, kept).
 */
export async function docsFile(a: DocsAssets, name: DocsFile, version: string | undefined, headers: Headers): Promise<Response> {
  const etag = `"${a.version}"`;
  const out: Record<string, string> = {
    "content-type": DOCS_FILES[name],
    "cache-control": version === a.version ? "public, max-age=31536000, immutable" : "no-cache",
    etag,
    vary: "Accept-Encoding",
    ...SECURITY_HEADERS,
  };
  const ifNoneMatch = headers.get("if-none-match");
  // Weak comparison (RFC 9110 §13.1.2): a compressed copy's tag may come back weak (`W/"…"`).
  if (ifNoneMatch?.split(",").some((t) => t.trim().replace(/^W\//, "") === etag)) return new Response(null, { status: 304, headers: out });
  const asset = a.files[name];
  if (!acceptsGzip(headers.get("accept-encoding"))) return new Response(asset.body, { headers: out });
  asset.gzipped ??= gzipAsync(asset.body).then((b) => new Uint8Array(b));
  return new Response(await asset.gzipped, { headers: { ...out, "content-encoding": "gzip" } });
}

/** The route of one file under /docs/ (one file per endpoint in functions/system/, one definition here). */
export const docsFileRoute = (name: DocsFile, summary: string) =>
  defineFunction({
    method: "GET",
    path: `/docs/${name}`,
    guard: "public",
    summary,
    tags: ["sistema"],
    query: docsFileQuery,
    response: { mediaType: DOCS_FILES[name].split(";")[0] },
    errors: [404],
    run: async (ctx, { query, headers }) => {
      requireDocs(ctx.config.apiDocs);
      return docsFile(await docsAssets(), name, query.v, headers);
    },
  });
