import { mkdir, realpath } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { createUrlSigner, type UrlSigner } from "./signing.ts";

/**
 * The media folder. Every path that reaches the disk goes through `resolveInside`, which confines it to the root.
 */
export interface MediaStore {
  root: string;
  /** Absolute path of `rel` under the root, or null when it would escape it (`..`, absolute, backslashes, NUL). */
  resolveInside(rel: string): string | null;
  ensureDir(rel: string): Promise<string>;
  /**
   * The real path (symlinks followed) of `rel`, or null when it is missing, escapes the root, or a symlink leads
   * out of it. Async: never blocks the event loop.
   */
  realPathInside(rel: string): Promise<string | null>;
  /** Signs the media URLs we hand out (`/pedidos/imagens/12?exp=…&sig=…`). */
  signer: UrlSigner;
}

/** Opens the media root. `secret` keys the URL signatures (a random one when absent, e.g. in unit tests). */
export function openMediaStore(root: string, opts: { secret?: string; urlTtlSeconds?: number } = {}): MediaStore {
  const abs = resolve(root);
  return {
    root: abs,
    signer: createUrlSigner(opts.secret ?? randomBytes(32).toString("hex"), { ttlSeconds: opts.urlTtlSeconds }),
    async realPathInside(rel) {
      const full = this.resolveInside(rel);
      if (!full) return null;
      try {
        const [realRoot, real] = await Promise.all([realpath(abs), realpath(full)]);
        return real.startsWith(realRoot + sep) ? real : null;
      } catch {
        return null;
      }
    },
    resolveInside(rel) {
      if (typeof rel !== "string" || rel === "" || rel.includes("\0")) return null;
      // note: legacy rows written on Windows use backslashes; they are separators, never part of a name.
      const clean = rel.replace(/\\/g, "/");
      if (isAbsolute(clean) || /^[a-zA-Z]:/.test(clean)) return null;
      if (clean.split("/").some((part) => part === "..")) return null;
      const full = resolve(abs, clean);
      const back = relative(abs, full);
      if (back === "" || back.startsWith("..") || isAbsolute(back)) return null;
      return full;
    },
    async ensureDir(rel) {
      const dir = this.resolveInside(rel);
      if (!dir) throw new Error(`media path escapes the root: ${rel}`);
      await mkdir(dir, { recursive: true });
      return dir;
    },
  };
}
