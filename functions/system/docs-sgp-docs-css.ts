// GET /docs/sgp-docs.css: a file of the API explorer, public like its page (lib/docs/assets.ts).
import { docsFileRoute } from "../../lib/docs/assets.ts";

export default docsFileRoute("sgp-docs.css", "Folha de estilo do explorador da API (login)");
