// POST /pedidos/batch-status: one status for many orders, with the same events as a PATCH.
import { defineFunction } from "../../lib/function.ts";
import { setOrdersStatus } from "../../lib/orders/index.ts";
import { batchStatusSchema } from "../../lib/orders/schemas.ts";
import { BatchStatusResponse } from "../../lib/orders/wire-schemas.ts";

export default defineFunction({
  method: "POST",
  path: "/pedidos/batch-status",
  guard: "user",
  summary: "Altera o status de vários pedidos (entregue também marca pronto)",
  tags: ["pedidos"],
  body: batchStatusSchema,
  response: BatchStatusResponse,
  errors: [404],
  run: (ctx, { body }) => setOrdersStatus(ctx, body.id_pedidos, body.status, ctx.user),
});
