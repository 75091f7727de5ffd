import type { Migration } from "../migrate.ts";
import { schema } from "./001_schema.ts";

/**
 * Every migration, in order. Add a file `NNN_name.ts` exporting one `Migration` and list it here.
 * Never edit one that has shipped: databases record which ids they applied.
 */
export const MIGRATIONS: Migration[] = [schema];
