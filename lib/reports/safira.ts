import type { Db, Sql } from "../db/connection.ts";
import type { Logger } from "../log.ts";
import { materialStats } from "../catalogs/stats.ts";
import { foldText } from "../text.ts";
import { addDays, localDate, localDayStartIso, nowIso } from "../time.ts";
import { detectIntent, type Intent } from "./safira-intents.ts";

/**
 * Safira, the in-app assistant (`POST /safira/ask`; spec §7): a question's intent (`safira-intents.ts`) answered
 * in pt-BR from live data, each a few indexed SQL statements. "Today" and "this month" are the shop's
 * (`SHOP_TIMEZONE`), the same calendar as the alerts. Every question is logged in `safira_logs`.
 */

export interface SafiraAnswer {
  recognized: boolean;
  intent: Intent | "unknown" | "error";
  answer: string;
  meta: Record<string, unknown> | null;
}

export const ERROR_ANSWER = "Desculpe, tive um problema técnico ao processar sua pergunta. Pode tentar novamente em alguns instantes?";

export const HELP_ANSWER = [
  "Ainda não sei responder isso.",
  "",
  "Posso ajudar com perguntas como:",
  "• Quantos pedidos entraram hoje?",
  "• Quantos pedidos estão em produção?",
  "• Quais pedidos estão atrasados?",
  "• Qual o tipo de pedido mais feito?",
  "• Qual o material mais usado?",
  "• Qual vendedor fez mais pedidos hoje?",
  "• Qual cliente fez mais pedidos este mês?",
  "• Qual o tempo médio de produção?",
  "• Quantos pedidos foram concluídos hoje?",
  "• Qual etapa da produção tem mais pedidos?",
].join("\n");

const number = (n: number, digits = 0) => n.toLocaleString("pt-BR", { minimumFractionDigits: digits, maximumFractionDigits: digits });
/** `1 pedido registrado`, `3 pedidos registrados`. */
const count = (n: number, one: string, many: string) => `${number(n)} ${n === 1 ? one : many}`;

/** Stage flags in the shop's flow order, with their screen names. */
const STAGES = [
  ["financeiro", "Financeiro"],
  ["conferencia", "Conferência"],
  ["sublimacao", "Sublimação"],
  ["costura", "Costura"],
  ["expedicao", "Expedição"],
] as const;
const ALL_STAGES_DONE = "Pronto para entrega";

interface Clock {
  timeZone: string;
  now: Date;
}

type Answer = Omit<SafiraAnswer, "recognized" | "intent">;

const ANSWERS: Record<Intent, (q: Sql, c: Clock) => Answer> = {
  pedidos_hoje(q, c) {
    const today = localDate(c.timeZone, c.now);
    const n = q.get<{ n: number }>("SELECT COUNT(*) AS n FROM pedidos WHERE rascunho = 0 AND data_entrada = ?", today)!.n;
    return {
      answer:
        n === 0
          ? "Hoje ainda não foram registrados pedidos."
          : `Pedidos feitos hoje\n\n${count(n, "pedido registrado", "pedidos registrados")}`,
      meta: { data: today, total: n },
    };
  },

  pedidos_em_producao(q) {
    const n = q.get<{ n: number }>("SELECT COUNT(*) AS n FROM pedidos WHERE rascunho = 0 AND status = 'em_producao'")!.n;
    return {
      answer:
        n === 0
          ? "No momento não há pedidos em produção."
          : `Pedidos em produção\n\n${count(n, "pedido ativo agora", "pedidos ativos agora")}`,
      meta: { total: n },
    };
  },

  pedidos_atrasados(q, c) {
    const today = localDate(c.timeZone, c.now);
    // Open orders (not ready, delivered or cancelled) due before the shop's today; `ix_pedidos_status`.
    const n = q.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM pedidos WHERE rascunho = 0 AND status IN ('pendente', 'em_producao')
         AND data_entrega IS NOT NULL AND data_entrega <> '' AND data_entrega < ?`,
      today,
    )!.n;
    return {
      answer:
        n === 0
          ? "Não há pedidos atrasados no momento."
          : `Pedidos atrasados\n\n${count(n, "pedido fora do prazo", "pedidos fora do prazo")}`,
      meta: { data: today, total: n },
    };
  },

  tipo_pedido_mais_feito(q) {
    // Items of non-cancelled orders per production type (`pedido_itens.tipo_producao`, the stored copy).
    const r = q.get<{ t: string; n: number }>(
      `SELECT lower(trim(i.tipo_producao)) AS t, COUNT(*) AS n FROM pedido_itens i JOIN pedidos p ON p.id = i.pedido_id
       WHERE p.rascunho = 0 AND p.status <> 'cancelado' AND trim(COALESCE(i.tipo_producao, '')) <> ''
       GROUP BY t ORDER BY n DESC, t LIMIT 1`,
    );
    if (!r) return { answer: "Ainda não há registros de tipos de produção no sistema.", meta: { tipo: null, total: 0 } };
    const label = r.t.replace(/_/g, " ").replace(/^./, (ch) => ch.toUpperCase());
    return {
      answer: `Tipo de pedido mais feito\n\n${label}\n${count(r.n, "produção registrada", "produções registradas")}`,
      meta: { tipo: r.t, total: r.n },
    };
  },

  material_mais_usado(q) {
    // The materials statistics (`lib/catalogs/stats.ts`): area × pieces per material, cancelled orders left out.
    const top = materialStats(q, {}).ranking_materiais.find((m) => m.nome !== "NÃO INFORMADO");
    if (!top) return { answer: "Ainda não há dados de consumo de materiais registrados.", meta: { material: null } };
    return {
      answer: `Material mais usado\n\n${top.nome}\n${number(top.area_total_m2, 2)} m² consumidos em ${count(top.quantidade_itens, "item", "itens")}`,
      meta: { material: top.nome, area_m2: top.area_total_m2, itens: top.quantidade_itens },
    };
  },

  vendedor_mais_produtivo(q, c) {
    const today = localDate(c.timeZone, c.now);
    const rows = q.all<{ id: number; v: string | null }>(
      `SELECT DISTINCT p.id, i.vendedor AS v FROM pedidos p LEFT JOIN pedido_itens i ON i.pedido_id = p.id
       WHERE p.rascunho = 0 AND p.data_entrada = ?`,
      today,
    );
    if (rows.length === 0) return { answer: "Nenhum pedido foi criado hoje até agora.", meta: { data: today, vendedor: null, total: 0 } };
    // An order counts once per seller, whatever the number of that seller's items in it; names folded.
    const per = new Map<string, { name: string; orders: Set<number> }>();
    for (const r of rows) {
      const name = (r.v ?? "").trim();
      if (!name) continue;
      const key = foldText(name);
      const e = per.get(key) ?? { name, orders: new Set<number>() };
      e.orders.add(r.id);
      per.set(key, e);
    }
    const best = [...per.values()].sort((a, b) => b.orders.size - a.orders.size || a.name.localeCompare(b.name, "pt-BR"))[0];
    if (!best)
      return { answer: "Os pedidos de hoje ainda não possuem vendedores vinculados.", meta: { data: today, vendedor: null, total: 0 } };
    return {
      answer: `Vendedor recordista hoje\n\n${best.name}\n${count(best.orders.size, "pedido criado", "pedidos criados")}`,
      meta: { data: today, vendedor: best.name, total: best.orders.size },
    };
  },

  cliente_mais_pedidos(q, c) {
    const today = localDate(c.timeZone, c.now);
    const first = `${today.slice(0, 8)}01`;
    const last = addDays(`${addDays(first, 32).slice(0, 8)}01`, -1);
    // The calendar month's orders by entry date (`ix_pedidos_data_entrada`), customers folded.
    const r = q.get<{ nome: string; n: number }>(
      `SELECT MIN(cliente) AS nome, COUNT(*) AS n FROM pedidos
       WHERE rascunho = 0 AND data_entrada >= ? AND data_entrada <= ? AND trim(cliente) <> ''
       GROUP BY cliente_busca ORDER BY n DESC, cliente_busca LIMIT 1`,
      first,
      last,
    );
    if (!r) return { answer: "Ainda não há pedidos registrados este mês.", meta: { mes: today.slice(0, 7), cliente: null, total: 0 } };
    return {
      answer: `Cliente destaque do mês\n\n${r.nome}\n${count(r.n, "pedido realizado", "pedidos realizados")}`,
      meta: { mes: today.slice(0, 7), cliente: r.nome, total: r.n },
    };
  },

  tempo_medio_producao(q) {
    // Creation to completion (the last update of a ready or delivered order), in hours.
    const r = q.get<{ h: number | null; n: number }>(
      `SELECT AVG((julianday(ultima_atualizacao) - julianday(data_criacao)) * 24) AS h, COUNT(*) AS n FROM pedidos
       WHERE rascunho = 0 AND status IN ('pronto', 'entregue') AND data_criacao IS NOT NULL AND ultima_atualizacao IS NOT NULL
         AND julianday(ultima_atualizacao) IS NOT NULL AND julianday(data_criacao) IS NOT NULL`,
    )!;
    if (!r.n || r.h === null)
      return { answer: "Ainda não há pedidos finalizados suficientes para calcular o tempo médio.", meta: { horas: null, pedidos: 0 } };
    const hours = Math.round(r.h * 10) / 10;
    const days = hours >= 48 ? ` (cerca de ${number(hours / 24, 1)} dias)` : "";
    return {
      answer: `Tempo médio de produção\n\n${number(hours, 1)} horas${days}\nmédia de ${count(r.n, "pedido concluído", "pedidos concluídos")}`,
      meta: { horas: hours, pedidos: r.n },
    };
  },

  pedidos_concluidos_hoje(q, c) {
    const today = localDate(c.timeZone, c.now);
    // Ready or delivered orders last updated during the shop's today (`ix_pedidos_status_atualizacao`).
    const n = q.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM pedidos WHERE rascunho = 0 AND status IN ('pronto', 'entregue')
         AND ultima_atualizacao >= ? AND ultima_atualizacao < ?`,
      localDayStartIso(c.timeZone, today),
      localDayStartIso(c.timeZone, addDays(today, 1)),
    )!.n;
    return {
      answer:
        n === 0
          ? "Ainda não tivemos pedidos concluídos hoje."
          : `Pedidos concluídos hoje\n\n${count(n, "pedido pronto", "pedidos prontos")}`,
      meta: { data: today, total: n },
    };
  },

  etapa_producao_com_mais_pedidos(q) {
    // Each open order waits at its first stage not done yet, in the flow order.
    const stage = `CASE ${STAGES.map(([f]) => `WHEN ${f} = 0 THEN '${f}'`).join(" ")} ELSE 'pronto' END`;
    const rows = q.all<{ etapa: string; n: number }>(
      `SELECT ${stage} AS etapa, COUNT(*) AS n FROM pedidos WHERE rascunho = 0 AND status IN ('pendente', 'em_producao') GROUP BY etapa`,
    );
    const etapas: Record<string, number> = Object.fromEntries([...STAGES.map(([f]) => [f, 0]), ["pronto", 0]]);
    for (const r of rows) etapas[r.etapa] = r.n;
    const order = [...STAGES.map(([f]) => f as string), "pronto"];
    const best = order.reduce((a, b) => (etapas[b] > etapas[a] ? b : a));
    if (etapas[best] === 0) return { answer: "No momento não há pedidos em produção.", meta: { etapa: null, total: 0, etapas } };
    const label = STAGES.find(([f]) => f === best)?.[1] ?? ALL_STAGES_DONE;
    return {
      answer: `Etapa com maior demanda\n\n${label}\n${count(etapas[best], "pedido aguardando", "pedidos aguardando")}`,
      meta: { etapa: best, total: etapas[best], etapas },
    };
  },
};

/** Answers a question from live data (no logging). Throws on a database failure; `askSafira` turns that into its error answer. */
export function answerQuestion(q: Sql, question: string, clock: Clock): SafiraAnswer {
  const intent = detectIntent(question);
  if (intent === "unknown") return { recognized: false, intent, answer: HELP_ANSWER, meta: null };
  return { recognized: true, intent, ...ANSWERS[intent](q, clock) };
}

/**
 * `POST /safira/ask`: answers and logs the question. Any failure answers 200 with `intent: "error"` and a
 * friendly text (the client only displays `answer`), and is logged as an error (process log and `safira_logs`).
 */
export async function askSafira(
  deps: { db: Db; log: Logger; timeZone: string },
  question: string,
  userId: number | null,
  now = new Date(),
): Promise<SafiraAnswer> {
  let out: SafiraAnswer;
  try {
    out = await deps.db.read((q) => answerQuestion(q, question, { timeZone: deps.timeZone, now }));
  } catch (err) {
    deps.log.error({ err, question: question.slice(0, 200) }, "safira failed to answer");
    out = { recognized: false, intent: "error", answer: ERROR_ANSWER, meta: null };
  }
  try {
    await deps.db.write((tx) => {
      tx.run(
        "INSERT INTO safira_logs (pergunta, intent_detectada, reconhecida, usuario_id, created_at) VALUES (?, ?, ?, ?, ?)",
        question,
        out.intent,
        out.recognized ? 1 : 0,
        userId,
        nowIso(),
      );
    });
  } catch (err) {
    // The answer stands: a question that could not be logged is still answered.
    deps.log.error({ err }, "safira log not written");
  }
  return out;
}
