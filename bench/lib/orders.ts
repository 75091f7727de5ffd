// Orders as the real client's form sends them, and a seed through the write path: shared by the benches.
import * as v from "valibot";
import { openDatabase } from "../../lib/db/connection.ts";
import { migrate } from "../../lib/db/migrate.ts";
import { createLogger } from "../../lib/log.ts";
import { installOrderHooks } from "../../lib/orders/hooks.ts";
import { createOrderSchema } from "../../lib/orders/schemas.ts";
import { createOrder } from "../../lib/orders/write.ts";

/** An item as the client's order form sends it (every field of its type block, strings for money). */
export const clientItem = (i: number, k: number, vendedor = "Carlos") => ({
  tipo_producao: ["painel", "totem", "lona", "adesivo", "generica"][k % 5],
  descricao: `Item ${i}-${k}`,
  largura: "1,50",
  altura: "2,00",
  metro_quadrado: "3,00",
  vendedor,
  designer: ["Ana", "Bruno"][k % 2],
  tecido: "Oxford",
  acabamento: { overloque: true, elastico: false, ilhos: k === 0 },
  emenda: "sem-emenda",
  observacao: "",
  valor_painel: "120.00",
  valores_adicionais: "5.00",
  tipo_acabamento: k === 0 ? "ilhos" : "nenhum",
  quantidade_ilhos: "12",
  valor_ilhos: "0.50",
  quantidade_paineis: "2",
  quantidade_totem: "1",
  valor_unitario: "80.00",
  imagem: null,
  legenda_imagem: "",
  ziper: false,
  cordinha_extra: false,
  alcinha: false,
  toalha_pronta: false,
  terceirizado: false,
});
export const clientOrderBody = (i: number, itemCount = 5, vendedor = "Carlos") => ({
  cliente: `Cliente ${i} Ação`,
  telefone_cliente: "27999990000",
  cidade_cliente: "Vitória",
  estado_cliente: "ES",
  data_entrada: `2026-${String(1 + (i % 12)).padStart(2, "0")}-${String(1 + (i % 28)).padStart(2, "0")}`,
  data_entrega: null,
  prioridade: i % 7 === 0 ? "ALTA" : "NORMAL",
  status: "pendente",
  valor_frete: "15.00",
  tipo_pagamento: "1",
  forma_envio: "Correios",
  forma_envio_id: 0,
  financeiro: false,
  conferencia: false,
  sublimacao: false,
  costura: false,
  expedicao: false,
  items: Array.from({ length: itemCount }, (_, k) => clientItem(i, k, vendedor)),
});

/**
 * `n` orders written into the database file at `path` through the write path (validation, pricing, hooks: stored
 * JSON included), 500 a transaction, before any server opens it. Returns the time it took (ms).
 */
export function seedOrders(path: string, n: number, body: (i: number) => unknown): number {
  const t = performance.now();
  const db = openDatabase(path);
  installOrderHooks(db, { materialStockAutoDeduction: false });
  migrate(db, createLogger("silent"));
  const actor = { id: 1, username: "admin", isAdmin: true };
  for (let start = 0; start < n; start += 500) {
    db.writeSync((tx) => {
      for (let i = start; i < Math.min(start + 500, n); i++) createOrder(tx, v.parse(createOrderSchema, body(i)), actor);
    });
  }
  db.close();
  return Math.round(performance.now() - t);
}
