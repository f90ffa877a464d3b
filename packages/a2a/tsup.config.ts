import { defineConfig } from "tsup";

export default defineConfig({
  // `lite` is a second entry so a server can start without the SDK and express (see src/lite.ts).
  entry: ["src/index.ts", "src/lite.ts"],
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
});
