import { mergeConfig } from "vitest/config";
import { packageTestConfig } from "../../vitest.preset.js";

export default mergeConfig(packageTestConfig(), {
  // Vite applies resolve.conditions to the client only; vitest runs in the SSR environment.
  ssr: { resolve: { conditions: ["source"] } },
});
