import type { Migration } from "../migrate.ts";
import { backfillCustomerSearch, seedCatalogs } from "../../catalogs/seed.ts";

/**
 * Default catalog (production types, payment and shipping methods) for tables that are empty, and the folded
 * search name of customers taken over from the original system.
 */
export const catalogSeed: Migration = {
  id: 4,
  name: "catalog_seed",
  up(q, { log }) {
    const { seeded } = seedCatalogs(q);
    const folded = backfillCustomerSearch(q);
    if (seeded.length || folded) log.info({ seeded, customersFolded: folded }, "catalog seed");
  },
};
