import { formatCents, formatCentsBr } from "../money.ts";
import { startsWithAscii, type JsonBytes } from "./bytes.ts";
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
 * designer-panel defaults; money fields are `"0.00"` when unset (money is never null on the wire). Stored keys
 * (unknown ones included) override these.
 */
export const ITEM_DEFAULTS: Readonly<Record<string, unknown>> = Object.freeze({
  tipo_producao: null, descricao: null, observacao: null, machine_id: null, largura: null, altura: null,
  metro_quadrado: null, vendedor: null, designer: null, tecido: null, composicao_tecidos: null, tecido_fornecedor: null,
  acabamento: null, tipo_acabamento: null, emenda: null, emenda_qtd: null, quantidade_ilhos: null, espaco_ilhos: null,
  valor_ilhos: "0.00", ilhos_qtd: null, ilhos_valor_unitario: "0.00", ilhos_distancia: null, quantidade_cordinha: null,
  espaco_cordinha: null, valor_cordinha: "0.00", quantidade_paineis: null, quantidade_totem: null, quantidade_lona: null,
  quantidade_adesivo: null, valor_unitario: "0.00", valor_totem: "0.00", outros_valores_totem: "0.00", valor_lona: "0.00",
  outros_valores_lona: "0.00", valor_adesivo: "0.00", outros_valores_adesivo: "0.00", outros_valores: "0.00", tipo_adesivo: null,
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

/**
 * The item data as stored: every declared field present (defaults first), so a read can splice the stored text
 * into a response without parsing it (`appendWireItem`).
 */
export const storedItemData = (data: Record<string, unknown>): Record<string, unknown> => ({ ...ITEM_DEFAULTS, comentarios: [], ...data });

/** Stored data written by `storedItemData` starts with the first default key; anything else is parsed. */
const STORED_PREFIX = `{"${Object.keys(ITEM_DEFAULTS)[0]}":`;
const IMAGE_KEY = '"imagem":"';

/**
 * Appends one item's JSON to `out` (after `sep`), from its stored UTF-8 bytes: spliced (`{"id":N,` + the stored
 * object) when it is in stored form and has no image to map; otherwise parsed, completed and its `imagem` mapped
 * (URL signing).
 */
export function appendWireItem(out: JsonBytes, sep: string, id: number, data: Buffer, mapImage?: (value: unknown) => unknown): void {
  if (startsWithAscii(data, STORED_PREFIX) && !(mapImage && data.indexOf(IMAGE_KEY, 0, "latin1") >= 0)) {
    out.asciiText(`${sep}{"id":${id},`).bytes(data.subarray(1));
    return;
  }
  const item = toWireItem(id, JSON.parse(data.toString("utf8")) as Record<string, unknown>);
  if (mapImage && "imagem" in item) item.imagem = mapImage(item.imagem);
  out.asciiText(sep).text(JSON.stringify(item));
}

/** Appends an order's JSON (the fields of `toPedidoResponse`, `items` last) around its items' JSON. */
export function appendOrder(out: JsonBytes, sep: string, r: OrderRow, appendItems: () => void): void {
  const { items: _items, ...order } = toPedidoResponse(r, []);
  const head = JSON.stringify(order);
  out.asciiText(sep).text(head.slice(0, -1)).asciiText(',"items":[');
  appendItems();
  out.asciiText("]}");
}

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
