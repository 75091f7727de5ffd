// PUT /relatorios/templates: saves both templates (admin); unknown keys are kept and returned (spec §2).
import { defineFunction } from "../../lib/function.ts";
import { saveTemplates, templatesBody } from "../../lib/reports/index.ts";
import { ReportTemplates } from "../../lib/reports/wire-schemas.ts";

export default defineFunction({
  method: "PUT",
  path: "/relatorios/templates",
  guard: "admin",
  summary: "Salva os templates dos relatórios (envios e fechamentos)",
  tags: ["relatorios"],
  response: ReportTemplates,
  body: templatesBody,
  run: (ctx, { body }) => ctx.db.write((tx) => saveTemplates(tx, body)),
});
