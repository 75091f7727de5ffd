// GET /relatorios/templates: the report templates of the client's editor, the defaults when none is stored (spec §2).
import { defineFunction } from "../../lib/function.ts";
import { readTemplates } from "../../lib/reports/index.ts";
import { ReportTemplates } from "../../lib/reports/wire-schemas.ts";

export default defineFunction({
  method: "GET",
  path: "/relatorios/templates",
  guard: "user",
  summary: "Templates dos relatórios de envios e de fechamentos",
  tags: ["relatorios"],
  response: ReportTemplates,
  run: (ctx) => ctx.db.read((q) => readTemplates(q)),
});
