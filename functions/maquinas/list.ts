// GET /maquinas/: the shared catalog logic (lib/catalogs).
import { MAQUINAS } from "../../lib/catalogs/definitions.ts";
import { catalogListRoute } from "../../lib/catalogs/routes.ts";

export default catalogListRoute(MAQUINAS);
