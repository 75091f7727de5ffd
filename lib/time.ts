/** Now as ISO 8601 UTC with `Z`, the one timestamp format we store and send. */
export const nowIso = (): string => new Date().toISOString();

/**
 * Normalises a stored timestamp to ISO UTC with `Z`. Legacy rows hold naive UTC
 * (`2026-01-07 06:02:13.219293`, `2026-01-07T06:02:13`) or an offset (`+00:00`).
 * @example toIsoUtc("2026-01-07 06:02:13.219293") // "2026-01-07T06:02:13.219Z"
 */
export function toIsoUtc(value: unknown): string | null {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return null;
    const d = new Date(value > 1e12 ? value : value * 1000);
    // Out of Date's range: kept as written, like any other unreadable value.
    return Number.isNaN(d.getTime()) ? String(value) : d.toISOString();
  }
  const s = String(value).trim();
  // Epoch seconds or milliseconds in a TEXT column (the original read them as timestamps too).
  if (/^(\d{9,10}|\d{13})(\.\d+)?$/.test(s)) return toIsoUtc(Number(s));
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (m) {
    const frac = m[3] ? m[3].slice(0, 4) : "";
    const d = new Date(`${m[1]}T${m[2].length === 5 ? m[2] + ":00" : m[2]}${frac}${m[4] ?? "Z"}`);
    if (!Number.isNaN(d.getTime())) return d.toISOString();
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return `${s}T00:00:00.000Z`;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? s : d.toISOString();
}

/**
 * A business date (`data_entrada`, `data_entrega`) as `YYYY-MM-DD`; a full ISO datetime is cut to its date.
 * Returns null when the value is not a real calendar date.
 */
export function toDateOnly(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const s = String(value).trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(s);
  // Legacy pt-BR form `dd/mm/yyyy`, seen in hand-edited rows.
  if (!m) {
    const br = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(s);
    if (br) m = [s, br[3], br[2], br[1]] as unknown as RegExpExecArray;
  }
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
  return `${m[1]}-${m[2]}-${m[3]}`;
}
