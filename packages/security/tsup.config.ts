import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.preset.js";

export default defineConfig({
  ...packageBuild,
  entry: {
    index: "src/index.ts",
    secrets: "src/secrets/index.ts",
    // The Vault KV v2 fake, for other packages' tests (e.g. providers reading keys from Vault).
    testing: "test/fixtures/vault-fake.ts",
  },
});
