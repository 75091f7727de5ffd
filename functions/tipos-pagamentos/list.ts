// GET /tipos-pagamentos/: the shared catalog logic (lib/catalogs).
import { TIPOS_PAGAMENTOS } from "../../lib/catalogs/definitions.ts";
import { catalogListRoute } from "../../lib/catalogs/routes.ts";

export default catalogListRoute(TIPOS_PAGAMENTOS);
