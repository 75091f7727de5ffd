/**
 * What changed between two snapshots of an order (the `order` its events carry, in its wire shape): a flat list
 * of `{field, from, to}`. Pure functions over plain JSON, no database.
 *
 * Paths: a top-level field by its wire name (`status`, `valor_total`); nested objects with dots
 * (`items[12].acabamento.ilhos`); lists of objects that carry an `id` (items, their comments) by that id, never
 * by position (`items[12].largura`, `items[12].comentarios[<uuid>]`), so reordering or removing one item does not
 * show as every later item changing. An added element is `{from: null, to: <element>}`, a removed one the reverse.
 * Values are what the wire carries: money as `"1234.56"`, dates as `YYYY-MM-DD`, images as their references.
 */

export interface Change {
  field: string;
  from: unknown;
  to: unknown;
}

type Obj = Record<string, unknown>;

/**
 * Fields no entry lists: stamped on every write (`ultima_atualizacao`), derived from others
 * (`valor_total_calculado` is `valor_total` in pt-BR form), or the writer, which the entry names anyway.
 */
const IGNORED_ORDER_FIELDS = new Set(["id", "ultima_atualizacao", "valor_total_calculado", "user_id", "username"]);

/** An embedded `data:` URL (its header up to the comma): shown as its media type and size, never its bytes. */
const DATA_URL = /^data:([\w.+-]+\/[\w.+-]+)?[^,]{0,200},/;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Elements of a list addressed by their `id` (every element an object with a unique string or number id). */
function byId(list: unknown[]): Map<string, Obj> | null {
  const map = new Map<string, Obj>();
  for (const el of list) {
    if (!isObj(el) || (typeof el.id !== "string" && typeof el.id !== "number")) return null;
    const key = String(el.id);
    if (map.has(key)) return null;
    map.set(key, el);
  }
  return map;
}

/**
 * Deep equality of JSON values, key order ignored, and a missing key equal to `null`: a field the wire shape
 * gained after an older snapshot was logged (present as `null` now) is no change.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b || ((a ?? null) === null && (b ?? null) === null)) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => sameJson(x, bb[i]));
  }
  // note: no key arrays built: this runs over every field of every item of every entry.
  const oa = a as Obj;
  const ob = b as Obj;
  for (const k in oa) if (!sameJson(oa[k], ob[k])) return false;
  for (const k in ob) if (!(k in oa) && ob[k] !== null && ob[k] !== undefined) return false;
  return true;
}

/**
 * A value as an entry shows it: an embedded image (`data:` URL, possible in a legacy row) becomes
 * `"data:<type>;base64,… (<n> bytes)"`; objects and lists are shown with the same rule applied inside.
 */
export function shown(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === "string") {
    const m = value.startsWith("data:") ? DATA_URL.exec(value) : null;
    if (!m) return value;
    const bytes = Math.floor(((value.length - m[0].length) * 3) / 4);
    return `data:${m[1] ?? "application/octet-stream"};base64,… (${bytes} bytes)`;
  }
  if (Array.isArray(value)) return value.map(shown);
  if (isObj(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shown(v)]));
  return value;
}

/** Nothing worth listing when something appears or disappears: null, `""`, `false`, `[]`, `{}`. */
const isEmpty = (v: unknown): boolean =>
  v === null ||
  v === undefined ||
  v === "" ||
  v === false ||
  (Array.isArray(v) && v.length === 0) ||
  (isObj(v) && Object.keys(v).length === 0);

/** An element that appears or disappears as a whole, without its empty fields (an item has ~60, mostly null). */
export function compact(value: unknown): unknown {
  if (!isObj(value)) return shown(value);
  const out: Obj = {};
  for (const [k, v] of Object.entries(value)) if (!isEmpty(v)) out[k] = compact(v);
  return out;
}

/** Appends the changes between `a` and `b` at `path` to `out`. */
export function diffValue(path: string, a: unknown, b: unknown, out: Change[]): void {
  if (sameJson(a, b)) return;
  if (isObj(a) && isObj(b)) {
    for (const k of unionKeys(a, b)) diffValue(`${path}.${k}`, a[k], b[k], out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const ma = byId(a);
    const mb = byId(b);
    if (ma && mb) {
      for (const [id, el] of mb) {
        const old = ma.get(id);
        if (old) diffValue(`${path}[${id}]`, withoutId(old), withoutId(el), out);
        else out.push({ field: `${path}[${id}]`, from: null, to: compact(el) });
      }
      for (const [id, el] of ma) if (!mb.has(id)) out.push({ field: `${path}[${id}]`, from: compact(el), to: null });
      return;
    }
  }
  out.push({ field: path, from: shown(a ?? null), to: shown(b ?? null) });
}

function withoutId(o: Obj): Obj {
  const { id: _id, ...rest } = o;
  return rest;
}

/** Keys of `b` in its order, then those only `a` has. */
function unionKeys(a: Obj, b: Obj): string[] {
  const keys = Object.keys(b);
  for (const k of Object.keys(a)) if (!(k in b)) keys.push(k);
  return keys;
}

/**
 * The changes from one snapshot of an order to the next. `before` null: the order appears (its creation, its
 * migration), listed as every non-empty field `from: null`, each item as one `items[<id>]` entry.
 */
export function diffOrders(before: Obj | null, after: Obj): Change[] {
  const out: Change[] = [];
  if (!before) {
    for (const [k, v] of Object.entries(after)) {
      if (IGNORED_ORDER_FIELDS.has(k) || isEmpty(v)) continue;
      if (k === "items" && Array.isArray(v)) diffValue("items", [], v, out);
      else out.push({ field: k, from: null, to: compact(v) });
    }
    return out;
  }
  for (const k of unionKeys(before, after)) {
    if (IGNORED_ORDER_FIELDS.has(k)) continue;
    diffValue(k, before[k], after[k], out);
  }
  return out;
}

/**
 * The changes of one element of a side list (a print log, a reposição) written by this entry: as a whole when
 * it appears (`prev` null) or disappears (`next` null), else field by field under `field`.
 */
export function diffRecord(field: string, prev: Obj | null, next: Obj | null, out: Change[]): void {
  if (!prev && !next) return;
  if (!prev) out.push({ field, from: null, to: compact(next) });
  else if (!next) out.push({ field, from: compact(prev), to: null });
  else diffValue(field, withoutId(prev), withoutId(next), out);
}
