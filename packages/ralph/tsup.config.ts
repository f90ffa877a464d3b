import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
  // Model-facing tool descriptions live in <tool>.txt beside <tool>.ts.
  loader: { ".txt": "text" },
});
