// POST /clientes/: the shared catalog logic (lib/catalogs).
import { CLIENTES } from "../../lib/catalogs/definitions.ts";
import { catalogCreateRoute } from "../../lib/catalogs/routes.ts";

export default catalogCreateRoute(CLIENTES);
