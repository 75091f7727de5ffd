// PATCH /maquinas/:id: the shared catalog logic (lib/catalogs).
import { MAQUINAS } from "../../lib/catalogs/definitions.ts";
import { catalogUpdateRoute } from "../../lib/catalogs/routes.ts";

export default catalogUpdateRoute(MAQUINAS);
