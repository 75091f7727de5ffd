// GET /vendedores/:id: the shared catalog logic (lib/catalogs).
import { VENDEDORES } from "../../lib/catalogs/definitions.ts";
import { catalogGetRoute } from "../../lib/catalogs/routes.ts";

export default catalogGetRoute(VENDEDORES);
