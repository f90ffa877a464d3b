import { defineConfig, type Plugin } from "vitest/config";

/** Where a package's tests live when it has no reason to differ. */
export const TESTS_IN_TEST_AND_SRC = ["test/**/*.test.ts", "src/**/*.test.ts"];

/** Same as tsup's `.txt` text loader: model-facing tool descriptions import as strings. */
export const txtAsString: Plugin = {
  name: "txt-as-string",
  transform(code, id) {
    if (id.endsWith(".txt")) return { code: `export default ${JSON.stringify(code)};`, map: null };
    return undefined;
  },
};

/**
 * The vitest set-up every package shares: workspace packages resolve from `src` (the `source` export
 * condition), so tests never run against a stale `dist`.
 */
export function packageTestConfig(options: { include?: string[]; plugins?: Plugin[] } = {}) {
  return defineConfig({
    resolve: { conditions: ["source"] },
    ...(options.plugins ? { plugins: options.plugins } : {}),
    test: { testTimeout: 30_000, include: options.include ?? TESTS_IN_TEST_AND_SRC },
  });
}
