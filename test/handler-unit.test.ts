import { afterAll, describe, expect, it } from "vitest";
import health from "../functions/system/health.ts";
import login from "../functions/auth/login.ts";
import { openTestDeps, ctxFor } from "./helpers/ctx.ts";
import type { AppError } from "../lib/errors.ts";

// A handler is a plain definition: calling run() with a context needs no server.
const deps = openTestDeps();
afterAll(() => deps.dispose());

describe("handlers called directly with a context", () => {
  it("health reports ok on a working database", async () => {
    const out = (await health.run(ctxFor(deps), {
      params: undefined,
      query: undefined,
      body: undefined,
      form: undefined,
      headers: new Headers(),
    })) as Record<string, unknown>;
    expect(out.status).toBe("ok");
  });

  it("health answers 503 'degraded' when the database is gone", async () => {
    const broken = openTestDeps();
    broken.db.close();
    const res = (await health.run(ctxFor(broken), {
      params: undefined,
      query: undefined,
      body: undefined,
      form: undefined,
      headers: new Headers(),
    })) as Response;
    expect(res.status).toBe(503);
    const body = await res.json();
    expect(body).toMatchObject({ status: "degraded", checks: { api: "ok", database: "error" } });
    expect(typeof body.database_error).toBe("string");
    broken.dispose();
  });

  it("login throws the typed 401 for a wrong password", async () => {
    const input = {
      params: undefined,
      query: undefined,
      body: { username: "admin", password: "errada" },
      form: undefined,
      headers: new Headers(),
    };
    await expect(login.run(ctxFor(deps), input)).rejects.toMatchObject({ status: 401 } satisfies Partial<AppError>);
  });
});
