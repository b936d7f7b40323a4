import { defineConfig } from "drizzle-kit";

// Migrations are generated into migrations/ and applied by wrangler (dev, deploy) and by
// the Vitest setup file, so every environment runs the same numbered SQL files.
export default defineConfig({
  dialect: "sqlite",
  schema: ["./src/catalog/schema.ts", "./src/search/schema.ts", "./src/access/schema.ts", "./src/sync/schema.ts", "./src/images/schema.ts", "./src/schedule/schema.ts", "./src/observability/schema.ts"],
  out: "./migrations",
});
