import type { Sql } from "../db/connection.ts";
import { formatCents } from "../money.ts";
import { getOrder } from "../orders/index.ts";
import type { PedidoResponse } from "../orders/wire.ts";
import { addDays, localDate } from "../time.ts";
import { memoFold, type Selection } from "./filters.ts";
import { eachReportOrder } from "./orders.ts";

/**
 * Read-only feeds for the shop's automation scripts (`/automacao/…`; spec §6). Areas are
 * `lib/catalogs/measure.ts`'s (`metro_quadrado`, else `largura × altura`, else 1 m² per piece, × pieces): the
 * rule the material stock and statistics use. m² go out rounded to 4 decimals, money as `"1234.56"`.
 */

const round4 = (n: number) => Math.round(n * 10_000 + (n >= 0 ? 1e-9 : -1e-9)) / 10_000;

export interface MetragemItem {
  pedido_id: number;
  numero: string | null;
  cliente: string;
  data_entrada: string;
  data_entrega: string | null;
  status: string;
  total_itens: number;
  total_metragem: number;
  valor_total: string;
}

/** `GET /automacao/pedidos/metragem`: per order, its items (rows) and m², in order of creation. */
export function metragem(q: Sql, s: Selection): MetragemItem[] {
  const out: MetragemItem[] = [];
  eachReportOrder(q, s, { area: true }, (o) =>
    out.push({
      pedido_id: o.id,
      numero: o.numero,
      cliente: o.cliente,
      data_entrada: o.dataEntrada,
      data_entrega: o.dataEntrega,
      status: o.status,
      total_itens: o.items.length,
      total_metragem: round4(o.items.reduce((a, it) => a + it.areaM2, 0)),
      valor_total: formatCents(o.totalCents),
    }),
  );
  return out;
}

interface Tally {
  name: string;
  orders: Set<number>;
  pieces: number;
  area: number;
  cents: number;
}

function tally(q: Sql, s: Selection, nameOf: (it: { tipoProducao: string; tecido: string }) => string): Tally[] {
  const map = new Map<string, Tally>();
  const fold = memoFold();
  eachReportOrder(q, s, { area: true }, (o) => {
    for (const it of o.items) {
      const name = nameOf(it);
      const key = fold(name);
      let t = map.get(key);
      if (!t) map.set(key, (t = { name, orders: new Set(), pieces: 0, area: 0, cents: 0 }));
      t.orders.add(o.id);
      t.pieces += it.pieces;
      t.area += it.areaM2;
      t.cents += it.valueCents;
    }
  });
  return [...map.values()].sort((a, b) => b.area - a.area || b.pieces - a.pieces || a.name.localeCompare(b.name, "pt-BR"));
}

/** `GET /automacao/producao/estatisticas`: per production type (lower case; "sem tipo"), the largest area first. */
export function productionStats(q: Sql, s: Selection) {
  return tally(q, s, (it) => it.tipoProducao.toLowerCase() || "sem tipo").map((t) => ({
    tipo_producao: t.name,
    total_pedidos: t.orders.size,
    total_itens: t.pieces,
    total_metragem: round4(t.area),
    valor_total: formatCents(t.cents),
  }));
}

/** "OXFORD azul" → "Oxford Azul" (the original's display of a fabric). */
export const titleCase = (s: string): string =>
  s
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(" ");

/** `GET /automacao/producao/tecidos`: per fabric (Title Case; "Sem Tecido"), the largest area first. */
export function fabricStats(q: Sql, s: Selection) {
  return tally(q, s, (it) => titleCase(it.tecido) || "Sem Tecido").map((t) => ({
    tecido: t.name,
    total_pedidos: t.orders.size,
    total_itens: t.pieces,
    total_metragem: round4(t.area),
  }));
}

export type AlertType = "atrasado" | "urgente_pendente" | "estagnado";

export interface Alert {
  pedido_id: number;
  numero: string | null;
  cliente: string;
  data_entrega: string | null;
  status: string;
  tipo_alerta: AlertType;
  horas_estagnado: number | null;
}

/** Hours without an update after which an order in production is stagnant. */
export const STAGNANT_HOURS = 48;

/**
 * `GET /automacao/producao/alertas`: delivered and cancelled orders skipped; one alert per order, the first that
 * applies: `atrasado` (due before the shop's today), `urgente_pendente` (due today or tomorrow, still pendente),
 * `estagnado` (em_producao, no update for ≥ 48 h). Sorted by type in that order, then by due date.
 * One statement over `ix_pedidos_status` (the open statuses), the conditions in SQL.
 */
export function alerts(q: Sql, timeZone: string, now: Date = new Date()): Alert[] {
  const today = localDate(timeZone, now);
  const tomorrow = addDays(today, 1);
  const stagnantBefore = new Date(now.getTime() - STAGNANT_HOURS * 3_600_000).toISOString();
  const rows = q.all<{
    id: number;
    numero: string | null;
    cliente: string;
    data_entrega: string | null;
    status: string;
    tipo: AlertType;
    u: string | null;
  }>(
    `SELECT id, numero, cliente, data_entrega, status, ultima_atualizacao AS u,
       CASE
         WHEN data_entrega IS NOT NULL AND data_entrega <> '' AND data_entrega < @today THEN 'atrasado'
         WHEN status = 'pendente' AND data_entrega >= @today AND data_entrega <= @tomorrow THEN 'urgente_pendente'
         WHEN status = 'em_producao' AND ultima_atualizacao IS NOT NULL AND ultima_atualizacao <= @stagnant THEN 'estagnado'
       END AS tipo
     FROM pedidos
     WHERE rascunho = 0 AND status IN ('pendente', 'em_producao', 'pronto') AND tipo IS NOT NULL
     ORDER BY CASE tipo WHEN 'atrasado' THEN 0 WHEN 'urgente_pendente' THEN 1 ELSE 2 END, data_entrega, id`,
    { today, tomorrow, stagnant: stagnantBefore } as never,
  );
  return rows.map((r) => ({
    pedido_id: r.id,
    numero: r.numero,
    cliente: r.cliente,
    data_entrega: r.data_entrega,
    status: r.status,
    tipo_alerta: r.tipo,
    horas_estagnado: r.tipo === "estagnado" && r.u ? Math.floor((now.getTime() - Date.parse(r.u)) / 3_600_000) : null,
  }));
}

/** `GET /automacao/pedido/{numero}`: the exact `numero`, then zero-padded to 10 digits, then the id (drafts never). */
export function orderByNumero(q: Sql, numero: string): PedidoResponse | null {
  const byNumero = (n: string) => q.get<{ id: number }>("SELECT id FROM pedidos WHERE numero = ? AND rascunho = 0", n)?.id;
  let id = byNumero(numero);
  if (id === undefined && /^\d{1,10}$/.test(numero)) id = byNumero(numero.padStart(10, "0"));
  if (id === undefined && /^\d{1,15}$/.test(numero))
    id = q.get<{ id: number }>("SELECT id FROM pedidos WHERE id = ? AND rascunho = 0", Number(numero))?.id;
  return id === undefined ? null : getOrder(q, id);
}
