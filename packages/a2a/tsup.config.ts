import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.preset.js";

export default defineConfig({
  ...packageBuild,
  // `lite` and `grpc` are entries of their own so a server can start without the SDK, express and grpc-js.
  entry: ["src/index.ts", "src/lite.ts", "src/grpc.ts"],
});
