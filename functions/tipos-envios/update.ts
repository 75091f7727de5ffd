// PATCH /tipos-envios/:id: the shared catalog logic (lib/catalogs).
import { TIPOS_ENVIOS } from "../../lib/catalogs/definitions.ts";
import { catalogUpdateRoute } from "../../lib/catalogs/routes.ts";

export default catalogUpdateRoute(TIPOS_ENVIOS);
