// DELETE /producoes/:id (admin; 409 while orders use it): the shared catalog logic (lib/catalogs).
import { PRODUCOES } from "../../lib/catalogs/definitions.ts";
import { catalogDeleteRoute } from "../../lib/catalogs/routes.ts";

export default catalogDeleteRoute(PRODUCOES);
