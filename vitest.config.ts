import { defineConfig } from "vitest/config";

/**
 * unit: pure logic, no services. db-pglite / db-postgres: the database suite, the
 * same files run on both (YUNXI_TEST_DB). e2e: real processes and a real browser.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["packages/**/*.test.ts", "apps/server/src/**/*.test.ts", "apps/web/src/**/*.test.ts"],
          exclude: ["**/*.db.test.ts", "**/node_modules/**"],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: "db-pglite",
          include: ["apps/server/**/*.db.test.ts"],
          exclude: ["**/node_modules/**"],
          env: { YUNXI_TEST_DB: "pglite" },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: "db-postgres",
          include: ["apps/server/**/*.db.test.ts"],
          exclude: ["**/node_modules/**"],
          env: { YUNXI_TEST_DB: "postgres" },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["e2e/**/*.test.ts"],
          exclude: ["**/node_modules/**"],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
