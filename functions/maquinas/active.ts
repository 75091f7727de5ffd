// GET /maquinas/ativos: the shared catalog logic (lib/catalogs).
import { MAQUINAS } from "../../lib/catalogs/definitions.ts";
import { catalogActiveRoute } from "../../lib/catalogs/routes.ts";

export default catalogActiveRoute(MAQUINAS);
