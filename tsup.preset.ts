import type { Options } from "tsup";

/**
 * What every publishable package's build shares: ESM for Node 20 with type declarations and source maps.
 * A package's tsup.config.ts spreads this and names its entries (and any loader of its own).
 */
export const packageBuild = {
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
} satisfies Options;
