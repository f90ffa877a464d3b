import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.preset.js";

export default defineConfig({
  ...packageBuild,
  entry: ["src/index.ts"],
  // Model-facing tool descriptions live in <tool>.txt beside <tool>.ts.
  loader: { ".txt": "text" },
});
