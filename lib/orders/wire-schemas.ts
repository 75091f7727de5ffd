import * as v from "valibot";
import { DateOnly, Id, Money, MoneyBr, named, Timestamp } from "../wire-schemas.ts";
import { Comentario } from "../designers/wire-schemas.ts";
import { ITEM_DEFAULTS } from "./wire.ts";
import { ITEM_MONEY_KEYS } from "./pricing.ts";
import { ORDER_STATUSES } from "./status.ts";

/**
 * Wire shapes of the orders (client-contract §1.2: `ApiPedido`, `ApiPedidoItem`), for the `/pedidos` routes to
 * declare (`response: PedidoResponse`, `response: v.array(PedidoResponse)`).
 */

/** Money fields that may be absent: their absence means "not priced by the component rule" (`lib/orders/pricing.ts`). */
const OPTIONAL_MONEY = new Set<string>(["valor_painel", "valores_adicionais"]);

const itemEntries: v.ObjectEntries = {
  id: v.pipe(Id, v.description("Id estável do item, único em todo o banco: devolva-o ao editar")),
};
// Every declared field is present (`ITEM_DEFAULTS`); the rest are kept as the client sent them.
for (const key of Object.keys(ITEM_DEFAULTS)) itemEntries[key] = v.unknown();
for (const key of ITEM_MONEY_KEYS) itemEntries[key] = OPTIONAL_MONEY.has(key) ? v.optional(Money) : Money;
itemEntries.status_arte = v.string();
itemEntries.imagem = v.pipe(v.nullable(v.string()), v.description("Referência da imagem: URL assinada (expira) ou data URL"));
itemEntries.comentarios = v.array(Comentario);

/** An order item: every declared field present, money as `"1234.56"`, unknown keys the client sent kept. */
export const PedidoItem = named("PedidoItem", v.looseObject(itemEntries));

/** An order as every `/pedidos` route answers it (`lib/orders/wire.ts` `toPedidoResponse`). */
export const PedidoResponse = named(
  "PedidoResponse",
  v.object({
    id: Id,
    numero: v.pipe(v.nullable(v.string()), v.description('10 dígitos com zeros à esquerda ("0000000487")')),
    data_entrada: DateOnly,
    data_entrega: v.nullable(DateOnly),
    observacao: v.nullable(v.string()),
    prioridade: v.picklist(["NORMAL", "ALTA"]),
    status: v.picklist(ORDER_STATUSES),
    cliente: v.string(),
    telefone_cliente: v.nullable(v.string()),
    cidade_cliente: v.nullable(v.string()),
    estado_cliente: v.nullable(v.string()),
    valor_total: Money,
    valor_frete: Money,
    valor_itens: Money,
    tipo_pagamento: v.pipe(v.nullable(v.string()), v.description("Id da forma de pagamento, como texto")),
    obs_pagamento: v.nullable(v.string()),
    forma_envio: v.pipe(v.nullable(v.string()), v.description("Nome da forma de envio")),
    forma_envio_id: v.pipe(v.number(), v.integer(), v.minValue(0), v.description("0 = nenhuma")),
    financeiro: v.boolean(),
    conferencia: v.boolean(),
    sublimacao: v.boolean(),
    costura: v.boolean(),
    expedicao: v.boolean(),
    pronto: v.boolean(),
    sublimacao_maquina: v.nullable(v.string()),
    sublimacao_data_impressao: v.nullable(v.string()),
    financeiro_liberado_em: v.pipe(v.nullable(Timestamp), v.description("Quando `financeiro` ficou verdadeiro (o servidor controla)")),
    items: v.array(PedidoItem),
    data_criacao: v.nullable(Timestamp),
    ultima_atualizacao: v.nullable(Timestamp),
    valor_total_calculado: MoneyBr,
    rascunho: v.boolean(),
  }),
);
