// POST /designers/: the shared catalog logic (lib/catalogs).
import { DESIGNERS } from "../../lib/catalogs/definitions.ts";
import { catalogCreateRoute } from "../../lib/catalogs/routes.ts";

export default catalogCreateRoute(DESIGNERS);
