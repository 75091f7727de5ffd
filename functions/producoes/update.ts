// PATCH /producoes/:id: the shared catalog logic (lib/catalogs).
import { PRODUCOES } from "../../lib/catalogs/definitions.ts";
import { catalogUpdateRoute } from "../../lib/catalogs/routes.ts";

export default catalogUpdateRoute(PRODUCOES);
