// GET /maquinas/:id: the shared catalog logic (lib/catalogs).
import { MAQUINAS } from "../../lib/catalogs/definitions.ts";
import { catalogGetRoute } from "../../lib/catalogs/routes.ts";

export default catalogGetRoute(MAQUINAS);
