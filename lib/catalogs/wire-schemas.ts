import * as v from "valibot";
import { Count, DateOnly, Id, named, Timestamp } from "../wire-schemas.ts";
import type { CatalogDef, FieldDef } from "./crud.ts";

/**
 * Wire shapes of the catalogs and of the material statistics. A catalog entry's shape is built from its
 * `CatalogDef` (the same fields `toWire` writes), so a field added to a catalog is documented and checked at once.
 * note: catalog prices (`valor_metro`, `valor`) are numbers, as the original sent them; only orders carry money as
 * `"1234.56"` strings.
 */

/** Schema names of the catalogs (`components.schemas`), by route prefix. */
const NAMES: Record<string, string> = {
  clientes: "Cliente",
  "tipos-pagamentos": "TipoPagamento",
  "tipos-envios": "TipoEnvio",
  vendedores: "Vendedor",
  designers: "Designer",
  materiais: "Material",
  producoes: "Producao",
  maquinas: "Maquina",
};

const pascal = (s: string) =>
  s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join("");

/** A field as `toWire` sends it: flags always booleans; a field without a default may be null. */
function fieldSchema(f: FieldDef): v.GenericSchema {
  if (f.type === "bool") return v.boolean();
  const base = f.type === "text" ? v.string() : f.type === "int" ? v.pipe(v.number(), v.integer()) : v.number();
  return f.required || f.default !== undefined ? base : v.nullable(base);
}

const entries = new WeakMap<CatalogDef, v.GenericSchema>();

/** The wire shape of one entry of a catalog: `id`, its fields in order, `created_at` where the table has one. */
export function catalogEntrySchema(def: CatalogDef): v.GenericSchema {
  let schema = entries.get(def);
  if (!schema) {
    const shape: Record<string, v.GenericSchema> = { id: Id };
    for (const [name, f] of Object.entries(def.fields)) shape[name] = fieldSchema(f);
    if (def.createdAt) shape.created_at = v.nullable(Timestamp);
    schema = named(NAMES[def.prefix] ?? pascal(def.prefix), v.object(shape));
    entries.set(def, schema);
  }
  return schema;
}

/** One line of a material or finishing ranking. */
const RankingEntry = named(
  "RankingMaterial",
  v.object({ nome: v.string(), quantidade_itens: Count, area_total_m2: v.number(), percentual_area: v.number() }),
);

/** `GET /materiais/stats`. */
export const MaterialStats = named(
  "MaterialStats",
  v.object({
    kpis: v.object({
      total_itens: Count,
      total_area_m2: v.number(),
      material_mais_usado: v.nullable(v.string()),
      acabamento_mais_usado: v.nullable(v.string()),
      total_ilhos: Count,
      total_itens_com_ilhos: Count,
      data_pico: v.nullable(DateOnly),
      m2_pico: v.number(),
      media_m2_dia: v.number(),
    }),
    ranking_materiais: v.array(RankingEntry),
    ranking_acabamentos: v.array(RankingEntry),
    por_tipo_producao: v.pipe(v.record(v.string(), v.array(RankingEntry)), v.description("Ranking de materiais por tipo de produção")),
  }),
);

/** `GET /materiais/stats/evolucao`. */
export const MaterialEvolution = named(
  "MaterialEvolution",
  v.object({
    top_3_nomes: v.array(v.string()),
    evolucao: v.array(
      v.object({
        data: DateOnly,
        total: v.number(),
        top_materiais: v.pipe(v.record(v.string(), v.number()), v.description("m² de cada um dos 3 materiais mais usados")),
      }),
    ),
  }),
);

/** `GET /materiais/estatisticas/uso`. */
export const MaterialUsage = named(
  "MaterialUsage",
  v.object({
    ordem: v.picklist(["mais", "menos"]),
    total_pedidos_analisados: Count,
    total_itens_com_material: Count,
    total_materiais_distintos_com_uso: Count,
    materiais: v.array(
      v.object({
        material_id: v.nullable(Id),
        nome_material: v.string(),
        cadastrado: v.boolean(),
        ativo: v.nullable(v.boolean()),
        quantidade_usos: Count,
        percentual_uso: v.number(),
      }),
    ),
  }),
);
