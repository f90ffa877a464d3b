import { defineConfig } from "tsup";

export default defineConfig({
  // `lite` and `grpc` are entries of their own so a server can start without the SDK, express and grpc-js.
  entry: ["src/index.ts", "src/lite.ts", "src/grpc.ts"],
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
});
