// POST /materiais/: the shared catalog logic (lib/catalogs).
import { MATERIAIS } from "../../lib/catalogs/definitions.ts";
import { catalogCreateRoute } from "../../lib/catalogs/routes.ts";

export default catalogCreateRoute(MATERIAIS);
