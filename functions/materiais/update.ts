// PATCH /materiais/:id: the shared catalog logic (lib/catalogs).
import { MATERIAIS } from "../../lib/catalogs/definitions.ts";
import { catalogUpdateRoute } from "../../lib/catalogs/routes.ts";

export default catalogUpdateRoute(MATERIAIS);
