import * as v from "valibot";
import { Id, named } from "../wire-schemas.ts";
import { ART_STATUSES } from "./panel.ts";

/** Wire shapes of the designers' art panel (client-contract §1.4): the client's `DesignerArteItem`. */

/** A comment on an item (`lib/designers/panel.ts` `Comment`). */
export const Comentario = named("Comentario", v.object({ id: v.string(), autor: v.string(), texto: v.string(), data: v.string() }));

/** An item field copied as the client stored it: text, a number or a flag (null when absent). */
const ItemValue = v.nullable(v.union([v.string(), v.number(), v.boolean()]));

const ITEM_FIELDS = [
  "tipo_producao",
  "descricao",
  "largura",
  "altura",
  "metro_quadrado",
  "observacao",
  "tecido",
  "composicao_tecidos",
  "vendedor",
  "emenda",
  "emenda_qtd",
  "quantidade_paineis",
  "quantidade_totem",
  "quantidade_lona",
  "quantidade_adesivo",
  "tipo_acabamento",
  "quantidade_ilhos",
  "espaco_ilhos",
  "quantidade_cordinha",
  "espaco_cordinha",
  "tipo_adesivo",
  "acabamento_lona",
  "acabamento_totem",
  "acabamento_totem_outro",
  "terceirizado",
  "ziper",
  "cordinha_extra",
  "alcinha",
  "toalha_pronta",
] as const;

/** One item of the panel (`toPanelItem`). */
export const DesignerArteItem = named(
  "DesignerArteItem",
  v.object({
    item_id: v.pipe(Id, v.description("Id estável do item")),
    order_id: Id,
    numero_pedido: v.string(),
    cliente: v.string(),
    data_entrega: v.nullable(v.string()),
    status_pedido: v.string(),
    prioridade: v.string(),
    status_arte: v.picklist(ART_STATUSES),
    imagem: v.pipe(v.nullable(v.string()), v.description("URL assinada da imagem do item")),
    acabamento: v.pipe(v.nullable(v.looseObject({})), v.description("`{overloque, elastico, ilhos}` como o item guardou")),
    ...Object.fromEntries(ITEM_FIELDS.map((f) => [f, ItemValue])),
    comentarios: v.array(Comentario),
  }),
);
