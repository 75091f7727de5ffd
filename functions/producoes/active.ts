// GET /producoes/ativos: the shared catalog logic (lib/catalogs).
import { PRODUCOES } from "../../lib/catalogs/definitions.ts";
import { catalogActiveRoute } from "../../lib/catalogs/routes.ts";

export default catalogActiveRoute(PRODUCOES);
