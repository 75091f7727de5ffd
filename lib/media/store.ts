import { mkdir } from "node:fs/promises";
import { realpathSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";

/**
 * The media folder. Every path that reaches the disk goes through `resolveInside`, which confines it to the root.
 */
export interface MediaStore {
  root: string;
  /** Absolute path of `rel` under the root, or null when it would escape it (`..`, absolute, backslashes, NUL). */
  resolveInside(rel: string): string | null;
  ensureDir(rel: string): Promise<string>;
}

export function openMediaStore(root: string): MediaStore {
  const abs = resolve(root);
  return {
    root: abs,
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

/** True when the real path of `full` (symlinks followed) is still under `root`. */
export function isRealPathInside(root: string, full: string): boolean {
  try {
    const realRoot = realpathSync(root);
    const real = realpathSync(full);
    return real === realRoot || real.startsWith(realRoot + sep);
  } catch {
    return false;
  }
}
