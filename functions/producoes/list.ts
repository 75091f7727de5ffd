// GET /producoes/: the shared catalog logic (lib/catalogs).
import { PRODUCOES } from "../../lib/catalogs/definitions.ts";
import { catalogListRoute } from "../../lib/catalogs/routes.ts";

export default catalogListRoute(PRODUCOES);
