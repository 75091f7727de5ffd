// GET /automacao/producao/alertas: late, urgent-but-pending and stagnant orders, by the shop's date (spec §6).
import { defineFunction } from "../../lib/function.ts";
import { automacaoAlertas } from "../../lib/reports/index.ts";
import { AutomacaoAlertas } from "../../lib/reports/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/automacao/producao/alertas",
  guard: "user",
  summary: "Alertas de produção: atrasado, urgente_pendente, estagnado",
  tags: ["automacao"],
  response: AutomacaoAlertas,
  run: (ctx) => ctx.db.read((q) => automacaoAlertas(q, ctx.config.timeZone)),
});
