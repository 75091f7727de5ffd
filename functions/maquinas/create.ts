// POST /maquinas/: the shared catalog logic (lib/catalogs).
import { MAQUINAS } from "../../lib/catalogs/definitions.ts";
import { catalogCreateRoute } from "../../lib/catalogs/routes.ts";

export default catalogCreateRoute(MAQUINAS);
