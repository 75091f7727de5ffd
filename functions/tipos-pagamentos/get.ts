// GET /tipos-pagamentos/:id: the shared catalog logic (lib/catalogs).
import { TIPOS_PAGAMENTOS } from "../../lib/catalogs/definitions.ts";
import { catalogGetRoute } from "../../lib/catalogs/routes.ts";

export default catalogGetRoute(TIPOS_PAGAMENTOS);
