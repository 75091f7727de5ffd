// GET /docs/swagger-ui.css: a file of the API explorer, public like its page (lib/docs/assets.ts).
import { docsFileRoute } from "../../lib/docs/assets.ts";

export default docsFileRoute("swagger-ui.css", "Folha de estilo do Swagger UI (explorador da API)");
