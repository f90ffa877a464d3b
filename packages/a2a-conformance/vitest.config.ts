import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["source"] },
  test: { testTimeout: 30_000, include: ["test/**/*.test.ts", "src/**/*.test.ts"] },
});
