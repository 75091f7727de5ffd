import * as v from "valibot";
import { boolQuery, intQuery, optionalDate } from "./query.ts";

/** Query of `/materiais/stats` and `/stats/evolucao`: entry-date bounds (inclusive) and a production type. */
export const statsQuery = v.object({
  data_inicio: optionalDate,
  data_fim: optionalDate,
  tipo_producao: v.optional(v.pipe(v.string(), v.trim())),
});

/** Query of `/materiais/estatisticas/uso`. */
export const usageQuery = v.object({
  limit: intQuery(10, 1, 200),
  ordem: v.optional(v.picklist(["mais", "menos"]), "mais"),
  incluir_sem_uso: boolQuery(false),
  somente_ativos: boolQuery(true),
  incluir_cancelados: boolQuery(false),
});
