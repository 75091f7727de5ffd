/**
 * The production board's rules, without the DOM (unit-tested in test/painel-board.test.ts): which column an
 * order is in, which orders are on the board, filters, the header numbers, who may move a card, and the PATCH a
 * move sends (the same body the desktop client's stage checkboxes send).
 */

/** The order fields the board reads, as `GET /pedidos/` and the socket's `order` carry them. */
export interface Order {
  id: number;
  numero: string | null;
  cliente: string;
  data_entrada: string;
  data_entrega: string | null;
  prioridade: string;
  status: string;
  financeiro: boolean;
  conferencia: boolean;
  sublimacao: boolean;
  costura: boolean;
  expedicao: boolean;
  pronto: boolean;
  rascunho?: boolean;
  sublimacao_maquina: string | null;
  sublimacao_data_impressao: string | null;
  ultima_atualizacao: string | null;
  /** The items, as the API sends them; the board keeps only their count (`itens`, see `slim`). */
  items?: unknown[];
  itens?: number;
}

/** The logged-in user, from `POST /auth/login`. */
export interface User {
  user_id: number;
  username: string;
  is_admin: boolean;
  setor: string;
}

export type Stage = "financeiro" | "conferencia" | "sublimacao" | "costura" | "expedicao";
export type ColumnId = Stage | "pronto";

/** The production flow, in order: an order waits in the column of its first stage not done. */
export const STAGES: readonly Stage[] = ["financeiro", "conferencia", "sublimacao", "costura", "expedicao"];

export const COLUMNS: readonly { id: ColumnId; label: string; stage: string }[] = [
  { id: "financeiro", label: "Financeiro pendente", stage: "Financeiro" },
  { id: "conferencia", label: "Conferência", stage: "Conferência" },
  { id: "sublimacao", label: "Sublimação", stage: "Sublimação" },
  { id: "costura", label: "Costura", stage: "Costura" },
  { id: "expedicao", label: "Expedição", stage: "Expedição" },
  { id: "pronto", label: "Pronto", stage: "Pronto" },
];

/** The sector filter: which columns each sector's screen shows (`setor` values of the users). */
export const SECTORS: readonly { id: string; label: string; columns: readonly ColumnId[] }[] = [
  { id: "todos", label: "Todos os setores", columns: COLUMNS.map((c) => c.id) },
  { id: "financeiro", label: "Financeiro", columns: ["financeiro"] },
  { id: "conferencia", label: "Conferência", columns: ["conferencia"] },
  { id: "impressao", label: "Impressão (sublimação)", columns: ["sublimacao"] },
  { id: "costura", label: "Costura", columns: ["costura"] },
  { id: "expedicao", label: "Expedição", columns: ["expedicao", "pronto"] },
];

export type DateFilter = "todas" | "atrasados" | "hoje" | "amanha" | "semana" | `dia:${string}`;

export const DATE_FILTERS: readonly { id: DateFilter; label: string }[] = [
  { id: "todas", label: "Todas as entregas" },
  { id: "atrasados", label: "Atrasados" },
  { id: "hoje", label: "Entrega hoje" },
  { id: "amanha", label: "Entrega amanhã" },
  { id: "semana", label: "Próximos 7 dias" },
];

/** Ready orders stay on the board while their delivery date is at most this many days ago. */
export const READY_DAYS = 7;

/** `YYYY-MM-DD` of a local date, `days` later. */
export function isoDay(d: Date, days = 0): string {
  const x = new Date(d.getFullYear(), d.getMonth(), d.getDate() + days);
  return `${x.getFullYear()}-${String(x.getMonth() + 1).padStart(2, "0")}-${String(x.getDate()).padStart(2, "0")}`;
}

/** The date part of a stored date (`2026-03-05`, or a full ISO datetime cut at `T` or a space). */
const dayOf = (value: string | null | undefined): string | null => (value ? value.slice(0, 10) : null);

/** When the order is due: its delivery date, else its entry date (the server defaults one to the other). */
export const dueDay = (o: Order): string => dayOf(o.data_entrega) ?? dayOf(o.data_entrada) ?? "";

export function columnOf(o: Order): ColumnId {
  if (o.pronto || o.status === "pronto") return "pronto";
  return STAGES.find((s) => !o[s]) ?? "pronto";
}

/** On the board: real orders still in production, and ready ones delivered recently (not yet handed over). */
export function onBoard(o: Order, today: string): boolean {
  if (o.rascunho || o.status === "cancelado" || o.status === "entregue") return false;
  if (columnOf(o) !== "pronto") return true;
  return dueDay(o) >= shiftDay(today, -READY_DAYS);
}

export function shiftDay(day: string, days: number): string {
  const [y, m, d] = day.split("-").map(Number);
  return isoDay(new Date(y, m - 1, d), days);
}

export const isOverdue = (o: Order, today: string): boolean => columnOf(o) !== "pronto" && dueDay(o) !== "" && dueDay(o) < today;
export const isUrgent = (o: Order): boolean => o.prioridade === "ALTA";

/** Urgent first, then by due date (overdue first), then by number. */
export function compareCards(a: Order, b: Order): number {
  return (
    Number(isUrgent(b)) - Number(isUrgent(a)) ||
    dueDay(a).localeCompare(dueDay(b)) ||
    (a.numero ?? "").localeCompare(b.numero ?? "") ||
    a.id - b.id
  );
}

export function matchesDate(o: Order, f: DateFilter, today: string): boolean {
  const due = dueDay(o);
  switch (f) {
    case "todas":
      return true;
    case "atrasados":
      return isOverdue(o, today);
    case "hoje":
      return due === today;
    case "amanha":
      return due === shiftDay(today, 1);
    case "semana":
      return due >= today && due <= shiftDay(today, 6);
    default:
      return due === f.slice(4);
  }
}

export const sectorOf = (id: string) => SECTORS.find((s) => s.id === id) ?? SECTORS[0];

/** The sector preselected for a user: their own, when it has columns of its own. */
export const defaultSector = (user: User | null): string => (user && SECTORS.some((s) => s.id === user.setor) ? user.setor : "todos");

export interface Column {
  id: ColumnId;
  label: string;
  orders: Order[];
}

/** The columns the filters show, each with its orders sorted. */
export function buildColumns(orders: Iterable<Order>, sector: string, date: DateFilter, today: string): Column[] {
  const shown = new Set(sectorOf(sector).columns);
  const cols = COLUMNS.filter((c) => shown.has(c.id)).map((c) => ({ id: c.id, label: c.label, orders: [] as Order[] }));
  const byId = new Map(cols.map((c) => [c.id, c]));
  for (const o of orders) {
    if (!onBoard(o, today) || !matchesDate(o, date, today)) continue;
    byId.get(columnOf(o))?.orders.push(o);
  }
  for (const c of cols) c.orders.sort(compareCards);
  return cols;
}

export interface Totals {
  /** Entered today (`data_entrada`). */
  entradas: number;
  /** On the board and not ready. */
  producao: number;
  /** Not ready and past their delivery date. */
  atrasados: number;
  /** In the ready column. */
  prontos: number;
}

/** The header numbers, over every order on the board (the filters do not change them: every screen agrees). */
export function totals(orders: Iterable<Order>, today: string): Totals {
  const t: Totals = { entradas: 0, producao: 0, atrasados: 0, prontos: 0 };
  for (const o of orders) {
    if (!onBoard(o, today)) continue;
    if (dayOf(o.data_entrada) === today) t.entradas++;
    if (columnOf(o) === "pronto") t.prontos++;
    else {
      t.producao++;
      if (isOverdue(o, today)) t.atrasados++;
    }
  }
  return t;
}

/**
 * Who may set or clear a stage: the desktop client's rules (its stage checkboxes). Financeiro is admin-only (the
 * server enforces it too); conferência and sublimação belong to their sectors (and admin, financeiro); costura
 * and expedição to anyone; every stage after financeiro needs financeiro released first.
 */
export function canToggle(user: User, o: Order, stage: Stage): boolean {
  if (o.rascunho) return false;
  if (stage === "financeiro") return user.is_admin;
  if (!o.financeiro) return false;
  const setor = user.setor;
  if (stage === "conferencia") return user.is_admin || ["admin", "financeiro", "conferencia"].includes(setor);
  if (stage === "sublimacao") return user.is_admin || ["admin", "financeiro", "impressao"].includes(setor);
  return true;
}

/** The stage a click completes (the card's column), if the user may. */
export function advanceStage(user: User, o: Order): Stage | null {
  const col = columnOf(o);
  return col !== "pronto" && canToggle(user, o, col) ? col : null;
}

/** The stage a "back" clears (the last one done before the card's column), if the user may. */
export function backStage(user: User, o: Order): Stage | null {
  const col = columnOf(o);
  const idx = col === "pronto" ? STAGES.length : STAGES.indexOf(col);
  for (let i = idx - 1; i >= 0; i--) if (o[STAGES[i]]) return canToggle(user, o, STAGES[i]) ? STAGES[i] : null;
  return null;
}

/**
 * The `PATCH /pedidos/{id}` body that sets `stage` to `value`, as the desktop client builds it: every other
 * stage as it is, `financeiro` only when it is the one toggled, `pronto` and `status` recomputed (all stages
 * done: `pronto`; a ready order losing one: `em_producao`), the machine and print date echoed (cleared with
 * sublimação), and every later stage cleared when financeiro is taken back.
 */
export function stagePatch(o: Order, stage: Stage, value: boolean): Record<string, unknown> {
  const flags = {
    financeiro: o.financeiro,
    conferencia: o.conferencia,
    sublimacao: o.sublimacao,
    costura: o.costura,
    expedicao: o.expedicao,
    [stage]: value,
  };
  const body: Record<string, unknown> = {
    conferencia: flags.conferencia,
    sublimacao: flags.sublimacao,
    costura: flags.costura,
    expedicao: flags.expedicao,
    sublimacao_maquina: stage === "sublimacao" && !value ? null : (o.sublimacao_maquina ?? null),
    sublimacao_data_impressao: stage === "sublimacao" && !value ? null : (o.sublimacao_data_impressao ?? null),
  };
  if (stage === "financeiro") body.financeiro = value;
  if (stage === "financeiro" && !value) {
    Object.assign(body, {
      conferencia: false,
      sublimacao: false,
      costura: false,
      expedicao: false,
      sublimacao_maquina: null,
      sublimacao_data_impressao: null,
    });
  }
  const all = STAGES.every((s) => (s === "financeiro" ? flags.financeiro : body[s]) === true);
  body.pronto = all;
  const wasDone = o.status === "pronto" || o.status === "entregue";
  body.status = all ? "pronto" : wasDone ? "em_producao" : o.status;
  return body;
}

/** `"0000000487"` → `"487"`, as the desktop client shows order numbers. */
export const shortNumero = (n: string | null): string => (n ? n.trim().replace(/^0+(?=\d)/, "") : "—");

/**
 * The delivery as the board shows it: `05/12` (the year when it is not this one), `hoje`, `amanhã`, or how late
 * it is. `short`: on a card, where `hoje`, `amanhã` and `atrasado 2 d` stand alone (the date is in the dialog).
 */
export function deliveryLabel(o: Order, today: string, short = false): string {
  const due = dueDay(o);
  if (!due) return "sem data";
  const [y, m, d] = due.split("-");
  const date = `${d}/${m}${y !== today.slice(0, 4) ? `/${y}` : ""}`;
  let when = "";
  if (due === today) when = "hoje";
  else if (due === shiftDay(today, 1)) when = "amanhã";
  else if (isOverdue(o, today)) {
    const late = Math.round((Date.parse(`${today}T12:00:00`) - Date.parse(`${due}T12:00:00`)) / 86_400_000);
    when = `atrasado ${late} d`;
  }
  if (!when) return date;
  return short ? when : `${date} · ${when}`;
}

/** Keeps only what the board reads (a full order carries every item with ~60 fields). */
export function slim(o: Order): Order {
  return {
    id: o.id,
    numero: o.numero,
    cliente: o.cliente,
    data_entrada: o.data_entrada,
    data_entrega: o.data_entrega,
    prioridade: o.prioridade,
    status: o.status,
    financeiro: !!o.financeiro,
    conferencia: !!o.conferencia,
    sublimacao: !!o.sublimacao,
    costura: !!o.costura,
    expedicao: !!o.expedicao,
    pronto: !!o.pronto,
    rascunho: !!o.rascunho,
    sublimacao_maquina: o.sublimacao_maquina ?? null,
    sublimacao_data_impressao: o.sublimacao_data_impressao ?? null,
    ultima_atualizacao: o.ultima_atualizacao ?? null,
    itens: Array.isArray(o.items) ? o.items.length : (o.itens ?? 0),
  };
}
