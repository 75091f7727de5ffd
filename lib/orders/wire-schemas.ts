import * as v from "valibot";
import { Count, DateOnly, Id, Money, MoneyBr, named, Timestamp } from "../wire-schemas.ts";
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
/**
 * An item's money: `"1234.56"` for every item this server wrote. An item taken over from the original system and not
 * rewritten since keeps the text the original stored (the import parses the orders' totals, never the items' data):
 * `"R$ 50,00"`, `"100,00"`, `"5"`. Still never null and never a number.
 */
const ItemMoney = v.union([
  Money,
  v.pipe(v.string(), v.description('Item vindo do sistema original, ainda não regravado: o texto como ele guardou ("R$ 50,00", "100,00")')),
]);
for (const key of ITEM_MONEY_KEYS) itemEntries[key] = OPTIONAL_MONEY.has(key) ? v.optional(ItemMoney) : ItemMoney;
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

/** `GET /pedidos/`, `/pedidos/status/{status}`, `/pedidos/rascunhos`: streamed, but the same orders. */
export const PedidoList = v.array(PedidoResponse);

/** `GET /pedidos/total`: the list's filters, counted. */
export const PedidoTotal = named("PedidoTotal", v.object({ total: Count }));

/** `POST /pedidos/batch-status` (`lib/orders/write.ts` `batchStatus`): how many orders took the status. */
export const BatchStatusResponse = named("BatchStatusResponse", v.object({ count: Count, status: v.picklist(ORDER_STATUSES) }));

/** `PATCH /pedidos/pedido-itens/{item_id}` (`lib/orders/operations.ts` `patchOrderItem`): the item as committed. */
export const ItemPatchResponse = named(
  "ItemPatchResponse",
  v.object({
    status: v.literal("success"),
    message: v.string(),
    item: v.pipe(PedidoItem, v.description("O item como gravado (`imagem` é a referência, sem assinatura)")),
  }),
);

/** `POST /pedidos/save-json/{id}`: kept for the client, nothing stored. */
export const SaveJsonResponse = named("SaveJsonResponse", v.object({ message: v.string(), pedido_id: Id }));

/** A percentage, rounded to a whole number. */
const Percent = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100));

/** `GET /pedidos/summary` (`lib/orders/summary.ts` `DashboardSummary`): drafts excluded, "today" the shop's day. */
export const PedidoSummary = named(
  "PedidoSummary",
  v.object({
    total: Count,
    pendentes: Count,
    em_producao: Count,
    concluidos: v.pipe(Count, v.description("pronto + entregue")),
    concluidos_hoje: Count,
    atrasados: Count,
    urgentes: Count,
    hoje: Count,
    efficiency_rate: v.pipe(Percent, v.description("Concluídos no prazo entre os concluídos com data de entrega, em %")),
    avg_production_time: v.pipe(v.number(), v.integer(), v.description("Dias, em média, da entrada à conclusão")),
    avg_delay_time: v.pipe(Count, v.description("Dias de atraso, em média, dos pedidos atrasados")),
    production_efficiency: v.object({
      financeiro: Percent,
      conferencia: Percent,
      sublimacao: Percent,
      costura: Percent,
      expedicao: Percent,
    }),
    shipping_methods: v.array(v.object({ name: v.string(), count: Count, percentage: Percent })),
    status_counts: v.object(
      Object.fromEntries(ORDER_STATUSES.map((st) => [st, Count])) as Record<(typeof ORDER_STATUSES)[number], typeof Count>,
    ),
    recent_orders: v.pipe(v.array(PedidoResponse), v.description("Os 5 mais recentes (sem cancelados); imagens sem assinatura")),
    urgent_orders: v.pipe(v.array(PedidoResponse), v.description("Até 5 urgentes em aberto, pela data de entrega")),
  }),
);

/** `POST /pedidos/order-items/upload-image` (`lib/media/upload.ts` `UploadReply`). */
export const UploadImageResponse = named(
  "UploadImageResponse",
  v.object({
    success: v.literal(true),
    server_reference: v.pipe(
      v.string(),
      v.regex(/^pedidos\/tmp\/[^/]+$/),
      v.description("`pedidos/tmp/<uuid>.<ext>`: vai no `imagem` do item"),
    ),
    image_reference: v.string(),
    path: v.string(),
    filename: v.string(),
    size: v.pipe(Count, v.description("Bytes")),
    url: v.pipe(v.string(), v.description("`/pedidos/media/pedidos/tmp/…?exp=…&sig=…` (assinada, expira)")),
  }),
);
