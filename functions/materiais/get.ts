// GET /materiais/:id: the shared catalog logic (lib/catalogs).
import { MATERIAIS } from "../../lib/catalogs/definitions.ts";
import { catalogGetRoute } from "../../lib/catalogs/routes.ts";

export default catalogGetRoute(MATERIAIS);
