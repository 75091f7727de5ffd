import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // note: 2 cores on these machines; every file starts its own server on its own temp database.
    maxWorkers: 2,
  },
});
