// POST /vendedores/: the shared catalog logic (lib/catalogs).
import { VENDEDORES } from "../../lib/catalogs/definitions.ts";
import { catalogCreateRoute } from "../../lib/catalogs/routes.ts";

export default catalogCreateRoute(VENDEDORES);
