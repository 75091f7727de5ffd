// GET /vendedores/ativos: the shared catalog logic (lib/catalogs).
import { VENDEDORES } from "../../lib/catalogs/definitions.ts";
import { catalogActiveRoute } from "../../lib/catalogs/routes.ts";

export default catalogActiveRoute(VENDEDORES);
