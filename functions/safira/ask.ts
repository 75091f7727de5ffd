// POST /safira/ask: the assistant's answer from live data; always 200 (a failure answers intent "error") (spec §7).
import { defineFunction } from "../../lib/function.ts";
import { askSafira } from "../../lib/reports/index.ts";
import { askBody } from "../../lib/reports/schemas.ts";
import { SafiraAnswer } from "../../lib/reports/wire-schemas.ts";

export default defineFunction({
  method: "POST",
  path: "/safira/ask",
  guard: "user",
  summary: "Pergunta à Safira (pedidos de hoje, atrasados, produção, rankings…)",
  tags: ["safira"],
  response: SafiraAnswer,
  body: askBody,
  run: (ctx, { body }) => askSafira({ db: ctx.db, log: ctx.log, timeZone: ctx.config.timeZone }, body.question, ctx.user.id),
});
