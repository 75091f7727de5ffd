// GET /vendedores/: the shared catalog logic (lib/catalogs).
import { VENDEDORES } from "../../lib/catalogs/definitions.ts";
import { catalogListRoute } from "../../lib/catalogs/routes.ts";

export default catalogListRoute(VENDEDORES);
