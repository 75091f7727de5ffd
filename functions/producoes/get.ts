// GET /producoes/:id: the shared catalog logic (lib/catalogs).
import { PRODUCOES } from "../../lib/catalogs/definitions.ts";
import { catalogGetRoute } from "../../lib/catalogs/routes.ts";

export default catalogGetRoute(PRODUCOES);
