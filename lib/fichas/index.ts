/**
 * Fichas (production sheets) and their templates: what the handlers call.
 * - Writes are whole operations (`operations.ts`): image checked and on disk → one transaction → files cleaned.
 * - Reads take any `Sql` (`repository.ts`); sheet layouts in `templates.ts`; HTML templates (files) in
 *   `html-templates.ts`; the image file rules in `images.ts`.
 */
export { createFicha, updateFicha, deleteFicha, type FichaDeps, type FichaInput } from "./operations.ts";
export { getFicha, listFichas, toFichaWire, fichaImageUrl, FICHA_NOT_FOUND, type FichaWire } from "./repository.ts";
export { readTemplates, saveTemplates, defaultTemplate, TEMPLATE_TYPES, type TemplateType, type TemplateWire } from "./templates.ts";
export { saveHtmlTemplates, listHtmlTemplates, htmlTemplateResponse, htmlTemplateContent } from "./html-templates.ts";
export { serveFichaImage } from "./serve.ts";
