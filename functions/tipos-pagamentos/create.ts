// POST /tipos-pagamentos/: the shared catalog logic (lib/catalogs).
import { TIPOS_PAGAMENTOS } from "../../lib/catalogs/definitions.ts";
import { catalogCreateRoute } from "../../lib/catalogs/routes.ts";

export default catalogCreateRoute(TIPOS_PAGAMENTOS);
