import { isDataUrl } from "./data-url.ts";

/** What an item's `imagem` string refers to. */
export type ImageRef =
  | { kind: "none" }
  | { kind: "data"; url: string }
  /** `/pedidos/imagens/{id}`: an image row we returned earlier (signed or not, absolute or relative). */
  | { kind: "row"; id: number }
  /** `pedidos/tmp/<file>`: a pre-upload from `POST /pedidos/order-items/upload-image`. */
  | { kind: "tmp"; path: string }
  /** `pedidos/{pedido_id}/<file>`: the legacy layout, an image row found by its path. */
  | { kind: "path"; path: string }
  /** Anything else (a foreign URL, an OS path from an old client): never served by us. */
  | { kind: "foreign"; value: string };

export const imageUrlOf = (id: number) => `/pedidos/imagens/${id}`;
export const mediaUrlOf = (path: string) => `/pedidos/media/${path.split("/").map(encodeURIComponent).join("/")}`;

/**
 * Classifies an `imagem` value. The query string (our signature) and an origin are ignored, so a reference we
 * returned is recognised however the client sends it back.
 * @example parseImageRef("http://10.0.0.2:8000/pedidos/imagens/12?exp=1&sig=x") // { kind: "row", id: 12 }
 */
export function parseImageRef(value: unknown): ImageRef {
  if (value === null || value === undefined) return { kind: "none" };
  if (typeof value !== "string") return { kind: "foreign", value: String(value) };
  const s = value.trim();
  if (s === "") return { kind: "none" };
  if (isDataUrl(s)) return { kind: "data", url: s };
  let path = s.replace(/^https?:\/\/[^/?#]+/i, "").replace(/[?#].*$/s, "");
  const row = /^\/?pedidos\/imagens\/(\d{1,15})\/?$/.exec(path);
  if (row) return { kind: "row", id: Number(row[1]) };
  const media = /^\/?pedidos\/media\/(.+)$/.exec(path);
  if (media) {
    try {
      path = decodeURIComponent(media[1]);
    } catch {
      return { kind: "foreign", value: s };
    }
  }
  path = path.replace(/^\/+/, "");
  if (cleanMediaPath(path)) {
    if (/^pedidos\/tmp\/[^/]+$/.test(path)) return { kind: "tmp", path };
    if (/^pedidos\/\d+\/[^/]+$/.test(path)) return { kind: "path", path };
  }
  return { kind: "foreign", value: s };
}

/**
 * A safe relative media path for serving: forward slashes only, no empty, `.` or `..` segments, no NUL, not absolute.
 * Returns null for anything else (the route answers 404).
 */
export function cleanMediaPath(raw: string): string | null {
  if (!raw || raw.includes("\\") || raw.includes("\0") || raw.startsWith("/") || /^[a-zA-Z]:/.test(raw)) return null;
  const parts = raw.split("/");
  if (parts.some((p) => p === "" || p === "." || p === "..")) return null;
  return raw;
}
