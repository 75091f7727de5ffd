import type { Migration } from "../migrate.ts";
import { schema } from "./001_schema.ts";
import { authEpoch } from "./002_auth_epoch.ts";
import { orders } from "./003_orders.ts";
import { catalogSeed } from "./004_catalog_seed.ts";
import { images } from "./005_images.ts";
import { realtime } from "./006_realtime.ts";
import { fichas } from "./007_fichas.ts";
import { reports } from "./008_reports.ts";
import { sync } from "./009_sync.ts";
import { limits } from "./010_limits.ts";
import { orderJson } from "./011_order_json.ts";
import { history } from "./012_history.ts";
import { operations } from "./013_operations.ts";

/**
 * Every migration, in order. Add a file `NNN_name.ts` exporting one `Migration` and list it here.
 * Never edit one that has shipped: databases record which ids they applied.
 */
export const MIGRATIONS: Migration[] = [
  schema,
  authEpoch,
  orders,
  catalogSeed,
  images,
  realtime,
  fichas,
  reports,
  sync,
  limits,
  history,
  operations,
  orderJson,
];
