// GET /tipos-pagamentos/ativos: the shared catalog logic (lib/catalogs).
import { TIPOS_PAGAMENTOS } from "../../lib/catalogs/definitions.ts";
import { catalogActiveRoute } from "../../lib/catalogs/routes.ts";

export default catalogActiveRoute(TIPOS_PAGAMENTOS);
