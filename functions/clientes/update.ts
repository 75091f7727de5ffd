// PATCH /clientes/:id: the shared catalog logic (lib/catalogs).
import { CLIENTES } from "../../lib/catalogs/definitions.ts";
import { catalogUpdateRoute } from "../../lib/catalogs/routes.ts";

export default catalogUpdateRoute(CLIENTES);
