// POST /sync/retry-dead-letter?event_id=N[&sink=http|mysql]: re-enqueues one dead event; ?sink=… alone: all of
// that sink. 404 "Evento dead_letter não encontrado" as the original when event_id names none.
import * as v from "valibot";
import { defineFunction } from "../../lib/function.ts";
import { badRequest } from "../../lib/errors.ts";
import { retryDeadLetters, SINK_NAMES } from "../../lib/sync/index.ts";
import { RetryDeadLetter } from "../../lib/sync/wire-schemas.ts";

const query = v.object({
  event_id: v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      v.regex(/^\d{1,15}$/, "Deve ser um inteiro >= 1"),
      v.transform(Number),
      v.minValue(1, "Deve ser um inteiro >= 1"),
    ),
  ),
  sink: v.optional(v.picklist(SINK_NAMES, `Deve ser ${SINK_NAMES.join(" ou ")}`)),
});

export default defineFunction({
  method: "POST",
  path: "/sync/retry-dead-letter",
  guard: "admin",
  summary: "Reenfileira um evento em dead letter (event_id), ou todos de um destino (sink)",
  tags: ["sync"],
  response: RetryDeadLetter,
  query,
  async run(ctx, { query: { event_id, sink } }) {
    if (event_id === undefined && sink === undefined) throw badRequest("Informe event_id ou sink");
    const count = await retryDeadLetters(ctx.db, { eventId: event_id, sink });
    return event_id !== undefined
      ? { message: "Evento reenfileirado", event_id, count }
      : { message: count === 1 ? "Evento reenfileirado" : "Eventos reenfileirados", sink, count };
  },
});
