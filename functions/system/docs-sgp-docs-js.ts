// GET /docs/sgp-docs.js: a file of the API explorer, public like its page (lib/docs/assets.ts).
import { docsFileRoute } from "../../lib/docs/assets.ts";

export default docsFileRoute("sgp-docs.js", "Script do explorador da API (configuração e login)");
