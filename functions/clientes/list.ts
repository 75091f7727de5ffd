// GET /clientes/: the shared catalog logic (lib/catalogs).
import { CLIENTES } from "../../lib/catalogs/definitions.ts";
import { catalogListRoute } from "../../lib/catalogs/routes.ts";

export default catalogListRoute(CLIENTES);
