import * as v from "valibot";
import { DateOnly, Id, named, Timestamp } from "../wire-schemas.ts";
import { REPOSICAO_PRIORIDADES, REPOSICAO_STATUSES } from "./index.ts";

/** A reposição (`lib/reposicoes/index.ts` `toReposicaoWire`, the original's `ReposicaoResponse`). */
export const Reposicao = named(
  "Reposicao",
  v.object({
    id: Id,
    numero: v.pipe(v.nullable(v.string()), v.description("`REP-{id}`")),
    order_id: v.nullable(Id),
    motivo: v.string(),
    descricao: v.nullable(v.string()),
    data_solicitacao: v.nullable(DateOnly),
    data_entrega_prevista: v.nullable(DateOnly),
    status: v.picklist(REPOSICAO_STATUSES),
    prioridade: v.picklist(REPOSICAO_PRIORIDADES),
    observacao: v.nullable(v.string()),
    financeiro: v.boolean(),
    conferencia: v.boolean(),
    sublimacao: v.boolean(),
    costura: v.boolean(),
    expedicao: v.boolean(),
    pronto: v.boolean(),
    created_at: v.nullable(Timestamp),
    updated_at: v.nullable(Timestamp),
  }),
);
