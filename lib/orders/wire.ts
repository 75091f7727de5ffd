import { formatCents, formatCentsBr } from "../money.ts";
import { parseImageRef } from "../media/refs.ts";
import type { OrderStatus } from "./status.ts";

/**
 * The wire shapes the client reads (`client-contract.md` §1.2), built from rows. Money comes from the cents
 * columns, so it is always `"1234.56"`; timestamps are stored as ISO UTC with `Z` and sent as they are.
 */

export type WireItem = Record<string, unknown> & { id: number };

export interface PedidoResponse {
  id: number;
  numero: string | null;
  data_entrada: string;
  data_entrega: string | null;
  observacao: string | null;
  prioridade: "NORMAL" | "ALTA";
  status: OrderStatus;
  cliente: string;
  telefone_cliente: string | null;
  cidade_cliente: string | null;
  estado_cliente: string | null;
  valor_total: string;
  valor_frete: string;
  valor_itens: string;
  tipo_pagamento: string | null;
  obs_pagamento: string | null;
  forma_envio: string | null;
  forma_envio_id: number;
  financeiro: boolean;
  conferencia: boolean;
  sublimacao: boolean;
  costura: boolean;
  expedicao: boolean;
  pronto: boolean;
  sublimacao_maquina: string | null;
  sublimacao_data_impressao: string | null;
  financeiro_liberado_em: string | null;
  items: WireItem[];
  data_criacao: string | null;
  ultima_atualizacao: string | null;
  /** frete + itens in pt-BR form (`"128,00"`). */
  valor_total_calculado: string;
  rascunho: boolean;
}

/** The `pedidos` columns a response is built from (never `items`, the legacy JSON column). */
export const ORDER_COLUMNS = `id, numero, data_entrada, data_entrega, observacao, prioridade, status, cliente, telefone_cliente,
  cidade_cliente, estado_cliente, valor_total_cents, valor_frete_cents, valor_itens_cents, tipo_pagamento, obs_pagamento,
  forma_envio, forma_envio_id, financeiro, conferencia, sublimacao, costura, expedicao, pronto, sublimacao_maquina,
  sublimacao_data_impressao, financeiro_liberado_em, rascunho, data_criacao, ultima_atualizacao`;

export interface OrderRow {
  id: number;
  numero: string | null;
  data_entrada: string;
  data_entrega: string | null;
  observacao: string | null;
  prioridade: string;
  status: string;
  cliente: string;
  telefone_cliente: string | null;
  cidade_cliente: string | null;
  estado_cliente: string | null;
  valor_total_cents: number;
  valor_frete_cents: number;
  valor_itens_cents: number;
  tipo_pagamento: string | null;
  obs_pagamento: string | null;
  forma_envio: string | null;
  forma_envio_id: number;
  financeiro: number;
  conferencia: number;
  sublimacao: number;
  costura: number;
  expedicao: number;
  pronto: number;
  sublimacao_maquina: string | null;
  sublimacao_data_impressao: string | null;
  financeiro_liberado_em: string | null;
  rascunho: number;
  data_criacao: string | null;
  ultima_atualizacao: string | null;
}

/**
 * Every declared item field of the original, `null` when unset (the client reads them by name), plus the
 * designer-panel defaults. Stored keys (unknown ones included) override these.
 */
export const ITEM_DEFAULTS: Readonly<Record<string, unknown>> = Object.freeze({
  tipo_producao: null, descricao: null, observacao: null, machine_id: null, largura: null, altura: null,
  metro_quadrado: null, vendedor: null, designer: null, tecido: null, composicao_tecidos: null, tecido_fornecedor: null,
  acabamento: null, tipo_acabamento: null, emenda: null, emenda_qtd: null, quantidade_ilhos: null, espaco_ilhos: null,
  valor_ilhos: null, ilhos_qtd: null, ilhos_valor_unitario: null, ilhos_distancia: null, quantidade_cordinha: null,
  espaco_cordinha: null, valor_cordinha: null, quantidade_paineis: null, quantidade_totem: null, quantidade_lona: null,
  quantidade_adesivo: null, valor_unitario: null, valor_totem: null, outros_valores_totem: null, valor_lona: null,
  outros_valores_lona: null, valor_adesivo: null, outros_valores_adesivo: null, outros_valores: null, tipo_adesivo: null,
  acabamento_lona: null, acabamento_totem: null, acabamento_totem_outro: null, terceirizado: null, ziper: null,
  cordinha_extra: null, alcinha: null, toalha_pronta: null, imagem: null, imagem_path: null, rip_maquina: null,
  data_impressao: null, perfil_cor: null, status_arte: "aguardando",
});

/** An item row's data as the client reads it: `id` first, every declared field present. */
export function toWireItem(id: number, data: Record<string, unknown>): WireItem {
  const item: WireItem = { id, ...ITEM_DEFAULTS, comentarios: [], ...data };
  item.id = id; // the row id wins over any stale `id` key in the data
  return item;
}

/** The item data as stored: every declared field present (defaults first), unknown keys kept. */
export const storedItemData = (data: Record<string, unknown>): Record<string, unknown> => ({ ...ITEM_DEFAULTS, comentarios: [], ...data });

export function toPedidoResponse(r: OrderRow, items: WireItem[]): PedidoResponse {
  return {
    id: r.id,
    numero: r.numero,
    data_entrada: r.data_entrada,
    data_entrega: r.data_entrega,
    observacao: r.observacao,
    prioridade: r.prioridade === "ALTA" ? "ALTA" : "NORMAL",
    status: r.status as OrderStatus,
    cliente: r.cliente,
    telefone_cliente: r.telefone_cliente,
    cidade_cliente: r.cidade_cliente,
    estado_cliente: r.estado_cliente,
    valor_total: formatCents(r.valor_total_cents),
    valor_frete: formatCents(r.valor_frete_cents),
    valor_itens: formatCents(r.valor_itens_cents),
    tipo_pagamento: r.tipo_pagamento,
    obs_pagamento: r.obs_pagamento,
    forma_envio: r.forma_envio,
    forma_envio_id: r.forma_envio_id ?? 0,
    financeiro: !!r.financeiro,
    conferencia: !!r.conferencia,
    sublimacao: !!r.sublimacao,
    costura: !!r.costura,
    expedicao: !!r.expedicao,
    pronto: !!r.pronto,
    sublimacao_maquina: r.sublimacao_maquina,
    sublimacao_data_impressao: r.sublimacao_data_impressao,
    financeiro_liberado_em: r.financeiro_liberado_em,
    items,
    data_criacao: r.data_criacao,
    ultima_atualizacao: r.ultima_atualizacao,
    valor_total_calculado: formatCentsBr(r.valor_frete_cents + r.valor_itens_cents),
    rascunho: !!r.rascunho,
  };
}

/**
 * An order serialized once, by the one serializer (`orderWire`): the text every reader gets (the stored wire
 * JSON, the event payloads, the HTTP responses), unsigned as the event log keeps it.
 * `images` lists, as `[start, end, start, end, …]` UTF-8 byte offsets into `json`, the JSON string tokens of the
 * item images a response must sign (our references only), so a read replaces them without parsing the order.
 */
export interface OrderWire {
  json: string;
  images: number[] | null;
}

const IMAGE_KINDS = new Set(["row", "tmp", "path"]);
const wires = new WeakMap<object, OrderWire>();

/**
 * The one serializer of an order: `toPedidoResponse`'s fields, then `items` last; within each item, `imagem`
 * last (so its value's position is known without scanning). Memoized per order object: a write that emits two
 * events and answers with the same order serializes it once.
 * @example orderWire(order).json // '{"id":7,…,"items":[{"id":12,…,"imagem":"/pedidos/imagens/3"}]}'
 */
export function orderWire(order: PedidoResponse): OrderWire {
  let wire = wires.get(order);
  if (wire) return wire;
  const { items, ...head } = order;
  const pieces: string[] = [JSON.stringify(head).slice(0, -1), ',"items":['];
  /** Index in `pieces` of each signable image token. */
  let signable: number[] | null = null;
  for (let k = 0; k < items.length; k++) {
    const item = items[k];
    if (k) pieces.push(",");
    if (!("imagem" in item) || item.imagem === undefined) {
      pieces.push(JSON.stringify(item));
      continue;
    }
    const { imagem, ...rest } = item;
    const restJson = JSON.stringify(rest);
    pieces.push(restJson === "{}" ? '{"imagem":' : `${restJson.slice(0, -1)},"imagem":`);
    if (typeof imagem === "string" && IMAGE_KINDS.has(parseImageRef(imagem).kind)) (signable ??= []).push(pieces.length);
    pieces.push(JSON.stringify(imagem), "}");
  }
  pieces.push("]}");
  let images: number[] | null = null;
  if (signable) {
    images = [];
    let at = 0;
    let next = 0;
    for (let i = 0; i < pieces.length; i++) {
      const n = Buffer.byteLength(pieces[i]);
      if (i === signable[next]) {
        images.push(at, at + n);
        next++;
      }
      at += n;
    }
  }
  wire = { json: pieces.join(""), images };
  wires.set(order, wire);
  return wire;
}

/**
 * The payload text of an order event, spliced around the order's wire JSON (never a second serialization):
 * `{type, order: {…order, user_id, username}, order_id, user_id, username}`, the original's message.
 */
export function orderEventJson(type: string, wire: OrderWire, orderId: number, actor: { id: number; username: string }): string {
  const who = `"user_id":${actor.id},"username":${JSON.stringify(actor.username)}`;
  return `{"type":${JSON.stringify(type)},"order":${wire.json.slice(0, -1)},${who}},"order_id":${orderId},${who}}`;
}
