// GET /designers/:id: the shared catalog logic (lib/catalogs).
import { DESIGNERS } from "../../lib/catalogs/definitions.ts";
import { catalogGetRoute } from "../../lib/catalogs/routes.ts";

export default catalogGetRoute(DESIGNERS);
