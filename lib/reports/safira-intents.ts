import { foldText } from "../text.ts";

/**
 * Safira's intent detection (spec §7): deterministic keyword rules over the folded question. No model, no
 * external service: the same question always gets the same intent.
 */

export const INTENTS = [
  "pedidos_hoje",
  "pedidos_em_producao",
  "pedidos_atrasados",
  "tipo_pedido_mais_feito",
  "material_mais_usado",
  "vendedor_mais_produtivo",
  "cliente_mais_pedidos",
  "tempo_medio_producao",
  "pedidos_concluidos_hoje",
  "etapa_producao_com_mais_pedidos",
] as const;
export type Intent = (typeof INTENTS)[number];

/** Lower case, no accents, punctuation as spaces, single spaces: `"Qual o Tempo Médio?!"` → `"qual o tempo medio"`. */
export const foldQuestion = (question: string): string => foldText(question.replace(/[^\p{L}\p{N}\s]+/gu, " "));

/**
 * Rules in priority order: the first whose every word is in the question wins. A word ending in `*` matches
 * any word it starts (`atras*`: atraso, atrasado, atrasados). The most specific questions come first, so
 * "qual vendedor fez mais pedidos hoje" is about the seller, not about today's orders.
 */
const RULES: [Intent, string[]][] = [
  ["tempo_medio_producao", ["tempo", "medio"]],
  ["tempo_medio_producao", ["quanto", "tempo"]],
  ["tempo_medio_producao", ["prazo", "medio"]],
  ["tempo_medio_producao", ["demora*"]],
  ["vendedor_mais_produtivo", ["vendedor*"]],
  ["vendedor_mais_produtivo", ["quem", "vendeu"]],
  ["cliente_mais_pedidos", ["cliente*", "mais"]],
  ["cliente_mais_pedidos", ["cliente*", "fiel"]],
  ["cliente_mais_pedidos", ["cliente*", "principal"]],
  ["cliente_mais_pedidos", ["cliente*", "destaque"]],
  ["cliente_mais_pedidos", ["melhor*", "cliente*"]],
  ["cliente_mais_pedidos", ["maior*", "cliente*"]],
  ["cliente_mais_pedidos", ["quem", "mais", "comprou"]],
  ["material_mais_usado", ["material*"]],
  ["material_mais_usado", ["materiais"]],
  ["material_mais_usado", ["tecido*"]],
  ["material_mais_usado", ["mais", "consumido*"]],
  ["etapa_producao_com_mais_pedidos", ["etapa*"]],
  ["etapa_producao_com_mais_pedidos", ["gargalo*"]],
  ["etapa_producao_com_mais_pedidos", ["fase*"]],
  ["etapa_producao_com_mais_pedidos", ["onde", "maioria"]],
  ["tipo_pedido_mais_feito", ["tipo*"]],
  ["tipo_pedido_mais_feito", ["categoria*"]],
  ["tipo_pedido_mais_feito", ["mais", "vendido*"]],
  ["tipo_pedido_mais_feito", ["mais", "feito*"]],
  ["tipo_pedido_mais_feito", ["mais", "produzido*"]],
  ["material_mais_usado", ["mais", "usado*"]],
  ["material_mais_usado", ["mais", "utilizado*"]],
  ["pedidos_concluidos_hoje", ["conclu*", "hoje"]],
  ["pedidos_concluidos_hoje", ["finaliz*", "hoje"]],
  ["pedidos_concluidos_hoje", ["pronto*", "hoje"]],
  ["pedidos_concluidos_hoje", ["entregue*", "hoje"]],
  ["pedidos_concluidos_hoje", ["terminad*", "hoje"]],
  ["pedidos_atrasados", ["atras*"]],
  ["pedidos_atrasados", ["fora", "prazo"]],
  ["pedidos_atrasados", ["vencid*"]],
  ["pedidos_em_producao", ["em", "producao"]],
  ["pedidos_em_producao", ["na", "producao"]],
  ["pedidos_em_producao", ["produzindo"]],
  ["pedidos_em_producao", ["sendo", "produzid*"]],
  ["pedidos_em_producao", ["fazendo", "agora"]],
  ["pedidos_em_producao", ["fabrica"]],
  ["pedidos_hoje", ["pedido*", "hoje"]],
  ["pedidos_hoje", ["entraram", "hoje"]],
  ["pedidos_hoje", ["entrou", "hoje"]],
  ["pedidos_hoje", ["entrada*", "hoje"]],
  ["pedidos_hoje", ["registrad*", "hoje"]],
  ["pedidos_hoje", ["feitos", "hoje"]],
];

const hasWord = (words: readonly string[], w: string) =>
  w.endsWith("*") ? words.some((x) => x.startsWith(w.slice(0, -1))) : words.includes(w);

/** The intent of a question, or `unknown`. */
export function detectIntent(question: string): Intent | "unknown" {
  const words = foldQuestion(question).split(" ").filter(Boolean);
  for (const [intent, rule] of RULES) if (rule.every((w) => hasWord(words, w))) return intent;
  return "unknown";
}
