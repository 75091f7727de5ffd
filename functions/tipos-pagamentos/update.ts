// PATCH /tipos-pagamentos/:id: the shared catalog logic (lib/catalogs).
import { TIPOS_PAGAMENTOS } from "../../lib/catalogs/definitions.ts";
import { catalogUpdateRoute } from "../../lib/catalogs/routes.ts";

export default catalogUpdateRoute(TIPOS_PAGAMENTOS);
