import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { generate } from "../scripts/gen-functions.mjs";
import { functions } from "../runtime/functions.gen.ts";
import { pathsOf } from "../lib/function.ts";

describe("the route table", () => {
  it("runtime/functions.gen.ts is current with functions/", () => {
    expect(readFileSync("runtime/functions.gen.ts", "utf8")).toBe(generate());
  });

  it("no two definitions claim the same method and path", () => {
    const seen = new Map<string, string>();
    for (const def of functions) {
      for (const p of pathsOf(def)) {
        const key = `${def.method} ${p.replace(/\/+$/, "").replace(/:\w+/g, ":")}`;
        expect(seen.has(key), `${key} declared twice`).toBe(false);
        seen.set(key, def.summary);
      }
    }
  });

  it("every definition has a guard and a summary", () => {
    for (const def of functions) {
      expect(["public", "user", "admin"]).toContain(def.guard);
      expect(def.summary.length).toBeGreaterThan(3);
    }
  });
});
