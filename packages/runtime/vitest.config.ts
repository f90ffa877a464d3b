import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["source"] },
  plugins: [
    {
      // Same as tsup's `.txt` text loader: tool descriptions import as strings.
      name: "txt-as-string",
      transform(code, id) {
        if (id.endsWith(".txt")) return { code: `export default ${JSON.stringify(code)};`, map: null };
        return undefined;
      },
    },
  ],
  test: { testTimeout: 30_000, include: ["test/**/*.test.ts"] },
});
