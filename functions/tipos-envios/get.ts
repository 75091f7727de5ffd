// GET /tipos-envios/:id: the shared catalog logic (lib/catalogs).
import { TIPOS_ENVIOS } from "../../lib/catalogs/definitions.ts";
import { catalogGetRoute } from "../../lib/catalogs/routes.ts";

export default catalogGetRoute(TIPOS_ENVIOS);
