import * as v from "valibot";
import { pathId } from "../schemas.ts";
import { defineFunction } from "../function.ts";
import { catalogSchemas, createCatalog, deleteCatalog, getCatalog, listCatalog, updateCatalog, type CatalogDef } from "./crud.ts";
import { catalogEntrySchema } from "./wire-schemas.ts";
import { MessageResponse } from "../wire-schemas.ts";

/**
 * Route definitions for one catalog, built from its `CatalogDef`. Each route still has its own file under
 * `functions/<prefix>/` (one default export each), which is a one-line call to one of these.
 * Guards: reads and writes need a user, deletes an admin (decisions §1).
 */

/** A numeric path id; anything else is a 404 with a string detail (the client crashes on a 422 array here). */
export const idParams = v.object({ id: pathId });

const tagOf = (def: CatalogDef) => [def.prefix];

/** `GET /<prefix>/`: every row; `?q=` filters by name (accent- and case-insensitive contains). */
export const catalogListRoute = (def: CatalogDef) =>
  defineFunction({
    method: "GET",
    path: `/${def.prefix}`,
    guard: "user",
    summary: `Lista ${def.noun} (busca por nome com ?q=, sem acentos)`,
    tags: tagOf(def),
    query: v.object({ q: v.optional(v.string()) }),
    response: v.array(catalogEntrySchema(def)),
    run: (ctx, { query }) => ctx.db.read((q) => listCatalog(q, def, { search: query.q })),
  });

/** `GET /<prefix>/ativos`: the active rows only. */
export const catalogActiveRoute = (def: CatalogDef) =>
  defineFunction({
    method: "GET",
    path: `/${def.prefix}/ativos`,
    guard: "user",
    summary: `Lista ${def.noun} ativos`,
    tags: tagOf(def),
    response: v.array(catalogEntrySchema(def)),
    run: (ctx) => ctx.db.read((q) => listCatalog(q, def, { activeOnly: true })),
  });

/** `GET /<prefix>/:id`. */
export const catalogGetRoute = (def: CatalogDef) =>
  defineFunction({
    method: "GET",
    path: `/${def.prefix}/:id`,
    guard: "user",
    summary: `Busca ${def.noun} por id`,
    tags: tagOf(def),
    params: idParams,
    response: catalogEntrySchema(def),
    run: (ctx, { params }) => ctx.db.read((q) => getCatalog(q, def, params.id)),
  });

/** `POST /<prefix>/`: 201 with the row (200 for clientes, as the original). */
export const catalogCreateRoute = (def: CatalogDef) =>
  defineFunction({
    method: "POST",
    path: `/${def.prefix}`,
    guard: "user",
    summary: `Cria ${def.noun}`,
    tags: tagOf(def),
    status: def.createStatus ?? 201,
    body: catalogSchemas(def).create,
    response: catalogEntrySchema(def),
    run: (ctx, { body }) => ctx.db.write((tx) => createCatalog(tx, def, body)),
  });

/** `PATCH /<prefix>/:id`: partial update, 200 with the row. */
export const catalogUpdateRoute = (def: CatalogDef) =>
  defineFunction({
    method: "PATCH",
    path: `/${def.prefix}/:id`,
    guard: "user",
    summary: `Atualiza ${def.noun}`,
    tags: tagOf(def),
    params: idParams,
    body: catalogSchemas(def).update,
    response: catalogEntrySchema(def),
    run: (ctx, { params, body }) => ctx.db.write((tx) => updateCatalog(tx, def, params.id, body)),
  });

/** `DELETE /<prefix>/:id` (admin): 204, or 200 `{message}` for clientes; 409 while orders refer to it. */
export const catalogDeleteRoute = (def: CatalogDef) =>
  defineFunction({
    method: "DELETE",
    path: `/${def.prefix}/:id`,
    guard: "admin",
    summary: `Exclui ${def.noun} (409 se estiver em uso em pedidos)`,
    tags: tagOf(def),
    status: def.deletedMessage ? 200 : 204,
    params: idParams,
    response: def.deletedMessage ? MessageResponse : undefined,
    errors: [409],
    async run(ctx, { params }) {
      await ctx.db.write((tx) => deleteCatalog(tx, def, params.id));
      return def.deletedMessage ? { message: def.deletedMessage } : null;
    },
  });
