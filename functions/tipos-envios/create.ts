// POST /tipos-envios/: the shared catalog logic (lib/catalogs).
import { TIPOS_ENVIOS } from "../../lib/catalogs/definitions.ts";
import { catalogCreateRoute } from "../../lib/catalogs/routes.ts";

export default catalogCreateRoute(TIPOS_ENVIOS);
