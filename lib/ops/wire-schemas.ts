import * as v from "valibot";
import { Count, described, named, Timestamp } from "../wire-schemas.ts";

/** Wire shapes of the system routes: `/`, `/health`, `/openapi.json` (the others answer text, HTML or files). */

/** `GET /`: the original's banner (monitoring scripts read it). */
export const RootResponse = named("RootResponse", v.object({ message: v.string(), version: v.string(), docs: v.string() }));

const Check = v.picklist(["ok", "error"]);

/** The `backup` block of `/health` (`lib/ops/health.ts` `backupReport`). */
const HealthBackup = v.object({
  enabled: v.boolean(),
  every_seconds: described(v.number(), "Intervalo dos backups agendados (`BACKUP_EVERY`); 0 = desligados"),
  last: v.nullable(
    v.object({
      at: Timestamp,
      ok: v.boolean(),
      trigger: v.picklist(["schedule", "cli"]),
      file: v.nullable(v.string()),
      bytes: v.nullable(Count),
      error: v.nullable(v.string()),
    }),
  ),
  last_success_at: v.nullable(Timestamp),
  age_seconds: v.nullable(Count),
});

/**
 * `GET /health`. 200 with `status` `"ok"`, or `"degraded"` when the backups fail or fall behind; a database or media
 * folder that cannot be read or written is a 503 with this same body (`status` `"degraded"`, the `*_error` fields).
 */
export const HealthResponse = named(
  "HealthResponse",
  v.object({
    status: v.picklist(["ok", "degraded"]),
    version: v.string(),
    timestamp: Timestamp,
    uptime_seconds: Count,
    checks: v.object({
      api: v.literal("ok"),
      database: Check,
      database_write: Check,
      media: Check,
      backup: described(v.picklist(["ok", "pending", "off", "stale", "failed", "unknown"]), "`unknown` quando o banco não responde"),
    }),
    database_error: v.optional(v.string()),
    media_error: v.optional(v.string()),
    realtime: v.object({ peers: described(Count, "Sockets de `/ws/orders` abertos neste processo") }),
    backup: v.nullable(HealthBackup),
  }),
);

/** `GET /openapi.json`: an OpenAPI 3.1 document (its own `paths` are described by the standard, not here). */
export const OpenApiDocument = named(
  "OpenApiDocument",
  v.looseObject({
    openapi: v.literal("3.1.0"),
    info: v.looseObject({ title: v.string(), version: v.string() }),
    paths: v.record(
      v.string(),
      v.record(v.string(), v.looseObject({ operationId: v.string(), responses: v.record(v.string(), v.unknown()) })),
    ),
    components: v.looseObject({}),
  }),
);
