// GET /automacao/producao/alertas: late, urgent-but-pending and stagnant orders, by the shop's date (spec §6).
import { defineFunction } from "../../lib/function.ts";
import { automacaoAlertas } from "../../lib/reports/index.ts";

export default defineFunction({
  method: "GET",
  path: "/automacao/producao/alertas",
  guard: "user",
  summary: "Alertas de produção: atrasado, urgente_pendente, estagnado",
  tags: ["automacao"],
  run: (ctx) => ctx.db.read((q) => automacaoAlertas(q, ctx.config.timeZone)),
});
