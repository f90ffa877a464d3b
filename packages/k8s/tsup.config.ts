import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.preset.js";

export default defineConfig({
  ...packageBuild,
  // `lite` is a second entry so a server without a cluster can start without express (see src/lite.ts).
  entry: ["src/index.ts", "src/lite.ts"],
});
