import type { Migration } from "../migrate.ts";
import { createOrRebuild } from "../migrate.ts";
import { TABLES } from "../schema.ts";
import { importLegacyData } from "../legacy-import.ts";

/**
 * The whole schema. On a database of the original system, each of its tables is rebuilt into our shape with
 * every row kept, the legacy values are normalised once, and only then are the unique indexes created.
 */
export const schema: Migration = {
  id: 1,
  name: "schema",
  up(q, { legacy, log }) {
    for (const t of TABLES) {
      const { rebuilt, dropped } = createOrRebuild(q, t.name, t.create);
      if (rebuilt && dropped.length) log.warn({ table: t.name, dropped }, "legacy columns dropped");
    }
    // Plain indexes first: the import looks items up by order and by legacy id, row by row.
    for (const t of TABLES) for (const ix of t.indexes) if (!/^CREATE UNIQUE/i.test(ix)) q.run(ix);
    if (legacy) importLegacyData(q, log);
    for (const t of TABLES) for (const ix of t.indexes) q.run(ix);
    const max = q.get<{ n: number | null }>(
      "SELECT MAX(CAST(numero AS INTEGER)) AS n FROM pedidos WHERE numero GLOB '[0-9]*' AND CAST(numero AS INTEGER) > 0",
    );
    q.run("INSERT OR IGNORE INTO sequences (name, value) VALUES ('pedido_numero', ?)", max?.n ?? 0);
  },
};
