import { foldText } from "../text.ts";

/** The five order statuses, strict on every write. */
export const ORDER_STATUSES = ["pendente", "em_producao", "pronto", "entregue", "cancelado"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Production-stage flags, in the shop's flow order. */
export const STAGE_FLAGS = ["financeiro", "conferencia", "sublimacao", "costura", "expedicao", "pronto"] as const;
export type StageFlag = (typeof STAGE_FLAGS)[number];

const LEGACY_ALIASES: Record<string, OrderStatus> = {
  penden: "pendente",
  "em producao": "em_producao",
  emproducao: "em_producao",
  em_producao: "em_producao",
  concluido: "entregue",
  pendente: "pendente",
  pronto: "pronto",
  entregue: "entregue",
  cancelado: "cancelado",
};

/**
 * Maps a legacy status spelling (`"Em Produção"`, `concluido`, `PENDENTE`) to a strict status, or null when it
 * is not a known spelling. Used once, by the migration of an existing database.
 */
export function normalizeLegacyStatus(value: unknown): OrderStatus | null {
  const folded = foldText(value).replace(/-/g, " ");
  return LEGACY_ALIASES[folded] ?? LEGACY_ALIASES[folded.replace(/ /g, "_")] ?? null;
}
