// GET /maquinas/dashboard/overview: the queue of each active machine (client-contract §1.9).
import * as v from "valibot";
import { defineFunction } from "../../lib/function.ts";
import { machinesOverview } from "../../lib/machines/dashboard.ts";
import { imageSignerOf } from "../../lib/catalogs/order-items.ts";
import { MachineOverview } from "../../lib/machines/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/maquinas/dashboard/overview",
  guard: "user",
  summary: "Fila de itens por máquina ativa (pedidos pendentes ou em produção)",
  tags: ["maquinas"],
  response: v.array(MachineOverview),
  run: (ctx) => ctx.db.read((q) => machinesOverview(q, imageSignerOf(ctx.media))),
});
