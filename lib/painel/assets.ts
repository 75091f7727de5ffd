import { AppError } from "../errors.ts";

/**
 * The production board's page (`/painel`): a shell that holds no data (its data comes from the guarded API and
 * socket), a script and a stylesheet bundled from `web/painel/` by `scripts/build-painel.mjs`.
 *
 * Where the bundle comes from: `build.mjs` runs that script and embeds its output in dist/sgp.mjs (esbuild
 * `define`s below), so the deployable stays one file that reads neither the disk nor the network for it. From
 * the source tree (`npm start`, tests under tsx) there is no bundle: the first request builds it in memory with
 * the same script (esbuild, a dev dependency), so it is never stale and nothing is written to the tree.
 */

export interface PainelAssets {
  script: string;
  style: string;
  /** A hash of both: the `?v=` of their URLs in the shell, and their ETag. */
  version: string;
}

// Replaced by string literals in the server bundle (build.mjs); undeclared (typeof "undefined") from the source tree.
declare const SGP_PAINEL_SCRIPT: string;
declare const SGP_PAINEL_STYLE: string;
declare const SGP_PAINEL_VERSION: string | undefined;

const EMBEDDED: PainelAssets | null =
  typeof SGP_PAINEL_VERSION === "string" ? { script: SGP_PAINEL_SCRIPT, style: SGP_PAINEL_STYLE, version: SGP_PAINEL_VERSION } : null;

let building: Promise<PainelAssets> | null = null;

export function painelAssets(): Promise<PainelAssets> {
  if (EMBEDDED) return Promise.resolve(EMBEDDED);
  building ??= buildFromSource().catch((err: unknown) => {
    building = null; // retried by the next request
    throw new AppError(503, `Painel indisponível: não foi possível montar a página (${(err as Error).message}). Rode npm run build.`);
  });
  return building;
}

async function buildFromSource(): Promise<PainelAssets> {
  // note: a computed specifier, so that esbuild does not pull the build script (and esbuild itself) into the bundle.
  const script = new URL("../../scripts/build-painel.mjs", import.meta.url).href;
  const mod = (await import(script)) as { buildPainel(): Promise<PainelAssets> };
  return mod.buildPainel();
}

/** `Content-Security-Policy` of the shell: its own script and style only, no inline code, no other origin. */
export const PAINEL_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

/** The HTML shell: references the current script and stylesheet by version, revalidated on every load. */
export function painelShell(a: PainelAssets): Response {
  const html = `<!doctype html>
<html lang="pt-BR">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="color-scheme" content="dark">
<meta name="theme-color" content="#0d1217">
<title>Painel de produção · SGP</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/painel/painel.css?v=${a.version}">
<script defer src="/painel/painel.js?v=${a.version}"></script>
</head>
<body><noscript>O painel precisa de JavaScript.</noscript></body>
</html>
`;
  return new Response(html, {
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-cache",
      "content-security-policy": PAINEL_CSP,
      ...SECURITY_HEADERS,
    },
  });
}

/**
 * The script or the stylesheet. Requested with the current `?v=`, it may be cached for good (a new version is a
 * new URL); otherwise it is revalidated (ETag, 304).
 */
export function painelAsset(a: PainelAssets, kind: "script" | "style", version: string | undefined, ifNoneMatch: string | null): Response {
  const etag = `"${a.version}"`;
  const headers: Record<string, string> = {
    "content-type": kind === "script" ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8",
    "cache-control": version === a.version ? "public, max-age=31536000, immutable" : "no-cache",
    etag,
    ...SECURITY_HEADERS,
  };
  // Weak comparison (RFC 9110 §13.1.2): gzip marks the tag weak (`W/"…"`) on the way out.
  if (ifNoneMatch?.split(",").some((t) => t.trim().replace(/^W\//, "") === etag)) return new Response(null, { status: 304, headers });
  return new Response(kind === "script" ? a.script : a.style, { headers });
}
