// GET /materiais/: the shared catalog logic (lib/catalogs).
import { MATERIAIS } from "../../lib/catalogs/definitions.ts";
import { catalogListRoute } from "../../lib/catalogs/routes.ts";

export default catalogListRoute(MATERIAIS);
