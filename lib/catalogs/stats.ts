import type { Sql } from "../db/connection.ts";
import { foldText } from "../text.ts";
import { listCatalog } from "./crud.ts";
import { MATERIAIS } from "./definitions.ts";
import { itemMaterialArea, round } from "./measure.ts";
import { parseCount } from "../orders/pricing.ts";
import { readItemFacts, type ItemFact } from "./order-items.ts";

/**
 * Material usage statistics (`/materiais/stats`, `/stats/evolucao`, `/estatisticas/uso`; spec §3.10).
 * Cancelled orders and drafts are left out. An item's area is `itemMaterialArea` (area × pieces): the same rule
 * as the stock deduction.
 */

export interface StatsFilter {
  data_inicio?: string;
  data_fim?: string;
  tipo_producao?: string;
}

export interface RankingEntry {
  nome: string;
  quantidade_itens: number;
  area_total_m2: number;
  percentual_area: number;
}

const NO_MATERIAL = "NÃO INFORMADO";
const TOP = 20;

/** Display name of a material: trimmed, whitespace collapsed, upper case; `NÃO INFORMADO` when empty. */
export const materialDisplayName = (tecido: unknown): string => {
  const s = String(tecido ?? "")
    .trim()
    .replace(/\s+/g, " ");
  return s ? s.toUpperCase() : NO_MATERIAL;
};

const isOn = (x: unknown) => x === true || x === 1 || x === "true" || x === "1";

/** The finishing labels an item counts for (spec §3.10). */
function finishings(item: Record<string, unknown>): string[] {
  const out: string[] = [];
  const a = (item.acabamento && typeof item.acabamento === "object" ? item.acabamento : {}) as Record<string, unknown>;
  if (isOn(a.overloque)) out.push("OVERLOQUE");
  if (isOn(a.elastico)) out.push("ELÁSTICO");
  if (isOn(a.ilhos)) out.push("ILHÓS (PRESENÇA)");
  const emenda = String(item.emenda ?? "").trim();
  if (emenda && emenda !== "sem-emenda") out.push("EMENDA");
  if (eyelets(item) > 0) out.push("ILHÓS (QUANTIDADE)");
  return out;
}

// Counted like pricing counts them (lib/orders/pricing.ts), so the statistics match what was charged.
const eyelets = (item: Record<string, unknown>): number => parseCount(item.quantidade_ilhos ?? item.ilhos_qtd) ?? 0;

/** Groups by folded material name, keeping the first display spelling. */
class Tally {
  private readonly rows = new Map<string, { nome: string; itens: number; area: number }>();
  area = 0;
  add(nome: string, area: number) {
    this.area += area;
    const key = foldText(nome);
    const r = this.rows.get(key) ?? { nome, itens: 0, area: 0 };
    r.itens += 1;
    r.area += area;
    this.rows.set(key, r);
  }
  /** Top entries by area (then items, then name), with the share of `total` (area, or items when `byItems`). */
  ranking(total: number, byItems = false): RankingEntry[] {
    return [...this.rows.values()]
      .sort((a, b) => (byItems ? b.itens - a.itens : b.area - a.area || b.itens - a.itens) || a.nome.localeCompare(b.nome))
      .slice(0, TOP)
      .map((r) => ({
        nome: r.nome,
        quantidade_itens: r.itens,
        area_total_m2: byItems ? 0 : round(r.area),
        percentual_area: total > 0 ? round(((byItems ? r.itens : r.area) / total) * 100) : 0,
      }));
  }
}

function statsItems(q: Sql, f: StatsFilter): ItemFact[] {
  return readItemFacts(q, { from: f.data_inicio, to: f.data_fim, statusNotIn: ["cancelado"], tipoProducao: f.tipo_producao || undefined });
}

const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1;

/** `GET /materiais/stats`: KPIs, the material and finishing rankings, and the material ranking per production type. */
export function materialStats(q: Sql, f: StatsFilter) {
  const rows = statsItems(q, f);
  const materials = new Tally();
  const finishing = new Tally();
  const perType = new Map<string, Tally>();
  const perDay = new Map<string, number>();
  let totalArea = 0;
  let totalEyelets = 0;
  let itemsWithEyelets = 0;
  for (const r of rows) {
    const area = itemMaterialArea(r.item);
    const nome = materialDisplayName(r.item.tecido);
    totalArea += area;
    materials.add(nome, area);
    const tipo = String(r.item.tipo_producao ?? "").trim() || "OUTROS";
    if (!perType.has(tipo)) perType.set(tipo, new Tally());
    perType.get(tipo)!.add(nome, area);
    for (const label of finishings(r.item)) finishing.add(label, 0);
    const n = eyelets(r.item);
    totalEyelets += n;
    if (n > 0) itemsWithEyelets += 1;
    perDay.set(r.dataEntrada, (perDay.get(r.dataEntrada) ?? 0) + area);
  }
  const rankingMateriais = materials.ranking(totalArea);
  const rankingAcabamentos = finishing.ranking(rows.length, true);
  let peak: [string, number] | null = null;
  for (const [day, area] of perDay) if (!peak || area > peak[1] || (area === peak[1] && day < peak[0])) peak = [day, area];
  // Average per calendar day of the asked period; without both bounds, per day that had orders.
  const days = f.data_inicio && f.data_fim ? Math.max(1, daysBetween(f.data_inicio, f.data_fim)) : perDay.size;
  const porTipo: Record<string, RankingEntry[]> = {};
  for (const [tipo, tally] of [...perType].sort(([a], [b]) => a.localeCompare(b))) porTipo[tipo] = tally.ranking(tally.area);
  return {
    kpis: {
      total_itens: rows.length,
      total_area_m2: round(totalArea),
      material_mais_usado: rankingMateriais[0]?.nome ?? null,
      acabamento_mais_usado: rankingAcabamentos[0]?.nome ?? null,
      total_ilhos: totalEyelets,
      total_itens_com_ilhos: itemsWithEyelets,
      data_pico: peak?.[0] ?? null,
      m2_pico: round(peak?.[1] ?? 0),
      media_m2_dia: days > 0 ? round(totalArea / days) : 0,
    },
    ranking_materiais: rankingMateriais,
    ranking_acabamentos: rankingAcabamentos,
    por_tipo_producao: porTipo,
  };
}

/** `GET /materiais/stats/evolucao`: m² per entry date, with the share of the three most used materials. */
export function materialEvolution(q: Sql, f: StatsFilter) {
  const rows = statsItems(q, f);
  const totals = new Map<string, number>();
  const perDay = new Map<string, { total: number; byMaterial: Map<string, number> }>();
  for (const r of rows) {
    const area = itemMaterialArea(r.item);
    const nome = materialDisplayName(r.item.tecido);
    totals.set(nome, (totals.get(nome) ?? 0) + area);
    const day = perDay.get(r.dataEntrada) ?? { total: 0, byMaterial: new Map<string, number>() };
    day.total += area;
    day.byMaterial.set(nome, (day.byMaterial.get(nome) ?? 0) + area);
    perDay.set(r.dataEntrada, day);
  }
  const top3 = [...totals]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 3)
    .map(([n]) => n);
  const evolucao = [...perDay]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([data, d]) => ({
      data,
      total: round(d.total),
      top_materiais: Object.fromEntries(top3.map((n) => [n, round(d.byMaterial.get(n) ?? 0)])),
    }));
  if (evolucao.length === 0 && f.data_fim) evolucao.push({ data: f.data_fim, total: 0, top_materiais: {} });
  return { top_3_nomes: top3, evolucao };
}

export interface UsageOptions {
  limit: number;
  ordem: "mais" | "menos";
  incluir_sem_uso: boolean;
  somente_ativos: boolean;
  incluir_cancelados: boolean;
}

/**
 * `GET /materiais/estatisticas/uso`: how many items use each material, matched to the catalog by folded name.
 * `somente_ativos` leaves out catalog materials that are inactive; names not in the catalog are always listed.
 */
export function materialUsage(q: Sql, o: UsageOptions) {
  const rows = readItemFacts(q, { statusNotIn: o.incluir_cancelados ? [] : ["cancelado"] });
  const catalog = new Map<string, { id: number; nome: string; ativo: boolean }>();
  for (const m of listCatalog(q, MATERIAIS)) {
    const key = foldText(m.nome);
    const known = catalog.get(key);
    // On duplicate names prefer the active one, then the lowest id (as the stock rule does).
    if (!known || (!known.ativo && m.ativo === true)) catalog.set(key, { id: Number(m.id), nome: String(m.nome), ativo: m.ativo === true });
  }
  const uses = new Map<string, { nome: string; n: number }>();
  const orders = new Set<number>();
  let withMaterial = 0;
  for (const r of rows) {
    orders.add(r.orderId);
    const key = foldText(r.item.tecido);
    if (!key) continue;
    withMaterial += 1;
    const u = uses.get(key) ?? { nome: materialDisplayName(r.item.tecido), n: 0 };
    u.n += 1;
    uses.set(key, u);
  }
  const entries = [...uses].map(([key, u]) => {
    const m = catalog.get(key);
    return {
      material_id: m?.id ?? null,
      nome_material: m?.nome ?? u.nome,
      cadastrado: !!m,
      ativo: m ? m.ativo : null,
      quantidade_usos: u.n,
    };
  });
  if (o.incluir_sem_uso)
    for (const [key, m] of catalog)
      if (!uses.has(key)) entries.push({ material_id: m.id, nome_material: m.nome, cadastrado: true, ativo: m.ativo, quantidade_usos: 0 });
  const sign = o.ordem === "menos" ? 1 : -1;
  const materiais = entries
    .filter((e) => !(o.somente_ativos && e.cadastrado && e.ativo === false))
    .sort((a, b) => sign * (a.quantidade_usos - b.quantidade_usos) || a.nome_material.localeCompare(b.nome_material))
    .slice(0, o.limit)
    .map((e) => ({ ...e, percentual_uso: withMaterial > 0 ? round((e.quantidade_usos / withMaterial) * 100) : 0 }));
  return {
    ordem: o.ordem,
    total_pedidos_analisados: orders.size,
    total_itens_com_material: withMaterial,
    total_materiais_distintos_com_uso: uses.size,
    materiais,
  };
}
