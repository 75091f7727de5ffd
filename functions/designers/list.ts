// GET /designers/: the shared catalog logic (lib/catalogs).
import { DESIGNERS } from "../../lib/catalogs/definitions.ts";
import { catalogListRoute } from "../../lib/catalogs/routes.ts";

export default catalogListRoute(DESIGNERS);
