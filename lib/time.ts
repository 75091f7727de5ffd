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
    const d = new Date(`${m[1]}T${m[2].length === 5 ? `${m[2]}:00` : m[2]}${frac}${m[4] ?? "Z"}`);
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

// --- The shop's local calendar (reports, automação, Safira) ------------------------------------------------------

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock parts of an instant in `timeZone`. */
function zonedParts(at: Date, timeZone: string): Record<"year" | "month" | "day" | "hour" | "minute" | "second", string> {
  let f = dateFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    dateFormats.set(timeZone, f);
  }
  const out: Record<string, string> = {};
  for (const p of f.formatToParts(at)) out[p.type] = p.value;
  return out as Record<"year" | "month" | "day" | "hour" | "minute" | "second", string>;
}

/**
 * The shop's calendar date of an instant (`YYYY-MM-DD`): the one definition of "today" for reports, alerts and
 * Safira (`config.timeZone`, `SHOP_TIMEZONE`). A UTC date would flip to tomorrow at 21:00 in São Paulo.
 * @example localDate("America/Sao_Paulo", new Date("2026-03-01T02:00:00Z")) // "2026-02-28"
 */
export function localDate(timeZone: string, at: Date = new Date()): string {
  const p = zonedParts(at, timeZone);
  return `${p.year}-${p.month}-${p.day}`;
}

/** `dd/mm/YYYY, HH:MM:SS` in the shop's zone (the original's `generated_at`). */
export function localDateTimeBr(timeZone: string, at: Date = new Date()): string {
  const p = zonedParts(at, timeZone);
  return `${p.day}/${p.month}/${p.year}, ${p.hour}:${p.minute}:${p.second}`;
}

/** A calendar date `n` days later (earlier when negative). */
export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/**
 * The UTC instant (ISO, `Z`) at which a shop date begins, so stored UTC timestamps can be compared with a local
 * day as text (`ultima_atualizacao >= start AND < next day's start`). Two rounds settle a DST change.
 */
export function localDayStartIso(timeZone: string, date: string): string {
  const [y, m, d] = date.split("-").map(Number);
  const wall = Date.UTC(y, m - 1, d);
  const offsetAt = (t: number) => {
    const p = zonedParts(new Date(t), timeZone);
    return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second) - t;
  };
  let t = wall - offsetAt(wall);
  t = wall - offsetAt(t);
  return new Date(t).toISOString();
}
