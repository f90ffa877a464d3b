import { mergeConfig } from "vitest/config";
import { packageTestConfig } from "../../vitest.preset.js";

export default mergeConfig(packageTestConfig({ include: ["test/**/*.test.ts"] }), {
  // The end-to-end tests start the built CLI, fake model servers and sandboxes.
  test: { testTimeout: 60_000, hookTimeout: 60_000 },
});
