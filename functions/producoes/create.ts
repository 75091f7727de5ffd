// POST /producoes/: the shared catalog logic (lib/catalogs).
import { PRODUCOES } from "../../lib/catalogs/definitions.ts";
import { catalogCreateRoute } from "../../lib/catalogs/routes.ts";

export default catalogCreateRoute(PRODUCOES);
