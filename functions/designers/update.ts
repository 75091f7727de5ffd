// PATCH /designers/:id: the shared catalog logic (lib/catalogs).
import { DESIGNERS } from "../../lib/catalogs/definitions.ts";
import { catalogUpdateRoute } from "../../lib/catalogs/routes.ts";

export default catalogUpdateRoute(DESIGNERS);
