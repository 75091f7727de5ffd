// GET /clientes/:id: the shared catalog logic (lib/catalogs).
import { CLIENTES } from "../../lib/catalogs/definitions.ts";
import { catalogGetRoute } from "../../lib/catalogs/routes.ts";

export default catalogGetRoute(CLIENTES);
