import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    secrets: "src/secrets/index.ts",
    // The Vault KV v2 fake, for other packages' tests (e.g. providers reading keys from Vault).
    testing: "test/fixtures/vault-fake.ts",
  },
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
});
