// GET /docs/swagger-ui-bundle.js: a file of the API explorer, public like its page (lib/docs/assets.ts).
import { docsFileRoute } from "../../lib/docs/assets.ts";

export default docsFileRoute("swagger-ui-bundle.js", "Script do Swagger UI (explorador da API)");
