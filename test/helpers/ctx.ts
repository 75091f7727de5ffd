import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../lib/config.ts";
import { createLogger } from "../../lib/log.ts";
import type { Caller, Ctx, Deps } from "../../lib/function.ts";
import { openDeps } from "../../runtime/server.ts";

/**
 * Shared services on a fresh temp database, without any server: for calling a definition's `run(ctx, input)`
 * directly, as a unit test.
 */
export function openTestDeps(): Deps & { dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), "sgp-unit-"));
  const config = loadConfig(
    {
      NODE_ENV: "test",
      DATABASE_URL: `file:${join(dir, "sgp.db")}`,
      MEDIA_ROOT: join(dir, "media"),
      SECRET_KEY: "unit-secret-key-with-enough-length-0123456789",
      SGP_ADMIN_PASSWORD: "admin-pass-123",
    },
    dir,
  );
  const deps = openDeps(config, createLogger("silent"), []);
  return {
    ...deps,
    dispose() {
      deps.db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A handler context for `user` (null for a public call). */
export function ctxFor(deps: Deps, user: Caller | null = null): Ctx {
  return { ...deps, user: user as Caller, requestId: "unit-test", ip: "127.0.0.1" };
}
