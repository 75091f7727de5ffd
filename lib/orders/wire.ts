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
 * designer-panel defaults; money fields are `"0.00"` when unset (money is never null on the wire). Stored keys
 * (unknown ones included) override these.
 */
export const ITEM_DEFAULTS: Readonly<Record<string, unknown>> = Object.freeze({
  tipo_producao: null,
  descricao: null,
  observacao: null,
  machine_id: null,
  largura: null,
  altura: null,
  metro_quadrado: null,
  vendedor: null,
  designer: null,
  tecido: null,
  composicao_tecidos: null,
  tecido_fornecedor: null,
  acabamento: null,
  tipo_acabamento: null,
  emenda: null,
  emenda_qtd: null,
  quantidade_ilhos: null,
  espaco_ilhos: null,
  valor_ilhos: "0.00",
  ilhos_qtd: null,
  ilhos_valor_unitario: "0.00",
  ilhos_distancia: null,
  quantidade_cordinha: null,
  espaco_cordinha: null,
  valor_cordinha: "0.00",
  quantidade_paineis: null,
  quantidade_totem: null,
  quantidade_lona: null,
  quantidade_adesivo: null,
  valor_unitario: "0.00",
  valor_totem: "0.00",
  outros_valores_totem: "0.00",
  valor_lona: "0.00",
  outros_valores_lona: "0.00",
  valor_adesivo: "0.00",
  outros_valores_adesivo: "0.00",
  outros_valores: "0.00",
  tipo_adesivo: null,
  acabamento_lona: null,
  acabamento_totem: null,
  acabamento_totem_outro: null,
  terceirizado: null,
  ziper: null,
  cordinha_extra: null,
  alcinha: null,
  toalha_pronta: null,
  imagem: null,
  imagem_path: null,
  rip_maquina: null,
  data_impressao: null,
  perfil_cor: null,
  status_arte: "aguardando",
});

/** An item row's data as the client reads it: `id` first, every declared field present. */
export function toWireItem(id: number, data: Record<string, unknown>): WireItem {
  const item: WireItem = { id, ...ITEM_DEFAULTS, comentarios: [], ...data };
  item.id = id; // the row id wins over any stale `id` key in the data
  return item;
}

/** The item data as stored: every declared field present (defaults first), unknown keys kept. */
export const storedItemData = (data: Record<string, unknown>): Record<string, unknown> => ({ ...ITEM_DEFAULTS, comentarios: [], ...data });

/** An order's fields without `items`, in wire order (`items` comes last on the wire). */
export type OrderHead = Omit<PedidoResponse, "items">;

function orderHead(r: OrderRow): OrderHead {
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
    data_criacao: r.data_criacao,
    ultima_atualizacao: r.ultima_atualizacao,
    valor_total_calculado: formatCentsBr(r.valor_frete_cents + r.valor_itens_cents),
    rascunho: !!r.rascunho,
  };
}

export function toPedidoResponse(r: OrderRow, items: WireItem[]): PedidoResponse {
  const order = orderHead(r) as PedidoResponse;
  order.items = items;
  return order;
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

/**
 * An item row as order reads select it (`ITEM_TEXT_COLUMNS`): its stored text, plus what SQLite tells about it
 * (checked in C, far cheaper than parsing it in JS).
 */
export interface ItemText {
  id: number;
  data: string;
  /** 1 when `data` is valid JSON with no top-level `id` (its wire JSON is then `{"id":N,` + the rest of it). */
  splice: number;
  /** The item's `imagem` when it is a string (a candidate for signing), else null. */
  imagem: string | null;
}

// note: one JSON parse in C per item in the usual case: `instr` rules out most of the rest (no `"id":` anywhere: no
// top-level id; no `"imagem":"`: no image to sign).
export const ITEM_TEXT_COLUMNS = `id, data,
  CASE WHEN NOT json_valid(data) THEN 0 WHEN instr(data, '"id":') = 0 THEN 1 ELSE json_type(data, '$.id') IS NULL END AS splice,
  CASE WHEN instr(data, '"imagem":"') > 0 AND json_valid(data) AND json_type(data, '$.imagem') = 'text' THEN json_extract(data, '$.imagem') END AS imagem`;

/** Stored data written by `storedItemData` starts with the first default key. */
const STORED_PREFIX = `{"${Object.keys(ITEM_DEFAULTS)[0]}":`;
const IMAGE_KINDS = new Set(["row", "tmp", "path"]);
const isSignable = (imagem: unknown): imagem is string => typeof imagem === "string" && IMAGE_KINDS.has(parseImageRef(imagem).kind);

/** One item's wire JSON, and the UTF-16 range of its image token within it when a response must sign it. */
interface ItemPiece {
  json: string;
  image: [number, number] | null;
}

/**
 * Where `imagem`'s token is in an item's JSON: found by its text when it occurs once (a nested object holding the
 * same key and value would make it ambiguous); otherwise the item is written again with `imagem` last.
 */
function withImage(json: string, imagem: string, item: () => WireItem): ItemPiece {
  const key = `"imagem":${JSON.stringify(imagem)}`;
  const at = json.indexOf(key);
  if (at >= 0 && json.indexOf(key, at + key.length) < 0) return { json, image: [at + 9, at + key.length] };
  const { imagem: _i, ...rest } = item();
  const head = JSON.stringify(rest);
  const token = JSON.stringify(imagem);
  const prefix = head === "{}" ? '{"imagem":' : `${head.slice(0, -1)},"imagem":`;
  return { json: `${prefix}${token}}`, image: [prefix.length, prefix.length + token.length] };
}

/** An item object's wire JSON. */
function itemPieceOf(item: WireItem): ItemPiece {
  const json = JSON.stringify(item);
  return isSignable(item.imagem) ? withImage(json, item.imagem, () => item) : { json, image: null };
}

/**
 * An item's wire JSON from its stored text, without parsing it when it is in stored form (the usual case: every
 * declared field present, defaults first): `{"id":N,` + the stored object. Anything else (a legacy row, a stale
 * `id` key) is parsed and completed like `toWireItem`. Invalid JSON throws, as parsing it always did.
 */
function itemPieceOfText(r: ItemText): ItemPiece {
  if (!(r.splice && r.data.startsWith(STORED_PREFIX))) return itemPieceOf(toWireItem(r.id, JSON.parse(r.data) as Record<string, unknown>));
  const json = `{"id":${r.id},${r.data.slice(1)}`;
  return isSignable(r.imagem)
    ? withImage(json, r.imagem, () => toWireItem(r.id, JSON.parse(r.data) as Record<string, unknown>))
    : { json, image: null };
}

/** Assembles an order's wire JSON: its head's fields, then `items` (image ranges converted to UTF-8 offsets). */
function assemble(head: OrderHead, items: readonly ItemPiece[]): OrderWire {
  const pieces: string[] = [JSON.stringify(head).slice(0, -1), ',"items":['];
  let signable = false;
  for (let k = 0; k < items.length; k++) {
    pieces.push(k ? `,${items[k].json}` : items[k].json);
    if (items[k].image) signable = true;
  }
  pieces.push("]}");
  if (!signable) return { json: pieces.join(""), images: null };
  const images: number[] = [];
  let at = Buffer.byteLength(pieces[0]) + Buffer.byteLength(pieces[1]);
  for (let k = 0; k < items.length; k++) {
    const piece = pieces[k + 2];
    const lead = k ? 1 : 0;
    const image = items[k].image;
    if (image) {
      const json = items[k].json;
      const start = at + lead + Buffer.byteLength(json.slice(0, image[0]));
      images.push(start, start + Buffer.byteLength(json.slice(image[0], image[1])));
    }
    at += Buffer.byteLength(piece);
  }
  return { json: pieces.join(""), images };
}

/** Serialized orders by object: a write that emits two events and answers with the order serializes it once. */
const wires = new WeakMap<object, OrderWire>();
/** The head and item texts of orders read from rows, for their serialization (`orderWire`). */
const texts = new WeakMap<object, { head: OrderHead; items: readonly ItemText[] }>();

/**
 * The one serializer of an order: `toPedidoResponse`'s fields, then `items`. An order read from its rows
 * (`orderFromRows`) is serialized from the stored item texts without parsing them; any other order object from its
 * items. Memoized per object (orders are never mutated once read).
 * @example orderWire(order).json // '{"id":7,…,"rascunho":false,"items":[{"id":12,…}]}'
 */
export function orderWire(order: PedidoResponse): OrderWire {
  let wire = wires.get(order);
  if (wire) return wire;
  const fromRows = texts.get(order);
  if (fromRows) wire = assemble(fromRows.head, fromRows.items.map(itemPieceOfText));
  else {
    const { items, ...head } = order;
    wire = assemble(head, items.map(itemPieceOf));
  }
  wires.set(order, wire);
  return wire;
}

/**
 * An order built from its row and its items' stored texts. `items` is parsed only when someone reads it (the
 * write paths serialize from the texts; only the stock hook and callers of the object look at items).
 */
export function orderFromRows(r: OrderRow, items: readonly ItemText[]): PedidoResponse {
  const head = orderHead(r);
  const order = { ...head } as PedidoResponse;
  let parsed: WireItem[] | null = null;
  Object.defineProperty(order, "items", {
    enumerable: true,
    configurable: true,
    get: () => (parsed ??= items.map((t) => toWireItem(t.id, JSON.parse(t.data) as Record<string, unknown>))),
    set: (v: WireItem[]) => {
      parsed = v;
      texts.delete(order);
      wires.delete(order);
    },
  });
  texts.set(order, { head, items });
  return order;
}

/**
 * The payload text of an order event, spliced around the order's wire JSON (never a second serialization):
 * `{type, order: {…order, user_id, username}, order_id, user_id, username}`, the original's message.
 */
export function orderEventJson(type: string, wire: OrderWire, orderId: number, actor: { id: number; username: string }): string {
  const who = `"user_id":${actor.id},"username":${JSON.stringify(actor.username)}`;
  return `{"type":${JSON.stringify(type)},"order":${wire.json.slice(0, -1)},${who}},"order_id":${orderId},${who}}`;
}
