import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["source"] },
  // Vite applies resolve.conditions to the client only; vitest runs in the SSR environment.
  ssr: { resolve: { conditions: ["source"] } },
  test: { testTimeout: 30_000, include: ["test/**/*.test.ts", "src/**/*.test.ts"] },
});
