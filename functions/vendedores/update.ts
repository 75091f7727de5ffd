// PATCH /vendedores/:id: the shared catalog logic (lib/catalogs).
import { VENDEDORES } from "../../lib/catalogs/definitions.ts";
import { catalogUpdateRoute } from "../../lib/catalogs/routes.ts";

export default catalogUpdateRoute(VENDEDORES);
