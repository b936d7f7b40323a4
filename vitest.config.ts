import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

/**
 * Two suites: `unit` (pure logic, plain Node: parsing, cursors, release reading) and
 * `workers` (bindings and routes inside workerd with real local D1/KV/R2, migrations
 * applied by test/setup.ts). Benchmarks are scripts, never tests.
 */
export default defineConfig({
  test: {
    reporters: ["default", "./test/summary-reporter.ts"],
    projects: [
      {
        test: { name: "unit", include: ["src/**/*.test.ts", "scripts/**/*.test.ts"], environment: "node" },
      },
      {
        plugins: [
          cloudflareTest(async () => ({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              // Invalidation unpaced and its second delete soon: local KV has no write rate limit, and
              // tests write many times a second (the pacing itself is tested on its own).
              bindings: { TEST_MIGRATIONS: await readD1Migrations("./migrations"), LOG_LEVEL: "silent", ADMIN_TOKEN: "test-admin-token-0123456789", CACHE_KV_WRITE_INTERVAL_MS: "0", CACHE_REDELETE_MS: "100" },
            },
          })),
        ],
        test: { name: "workers", include: ["test/**/*.test.ts"], setupFiles: ["./test/setup.ts"], globalSetup: ["./test/image-server.ts"] },
      },
    ],
  },
});
