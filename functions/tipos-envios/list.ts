// GET /tipos-envios/: the shared catalog logic (lib/catalogs).
import { TIPOS_ENVIOS } from "../../lib/catalogs/definitions.ts";
import { catalogListRoute } from "../../lib/catalogs/routes.ts";

export default catalogListRoute(TIPOS_ENVIOS);
