// esbuild plugin of the CLI build (tsup.config.ts): zod is loaded the first time a schema is used, not at start.
import type { Plugin } from "esbuild";

/**
 * Every workspace package imports `{ z }` (and the server `{ ZodError }`) from "zod" at module level, but since
 * schemas are built on first use (core's `lazySchema`) nothing needs zod until something is validated. Evaluating
 * zod anyway costs an idle `serve` ~5 MB of RSS (issue 25). In the CLI these imports resolve to a small module
 * whose `z` and `ZodError` forward to `dist/zod.cjs` (zod built on its own by the third build in tsup.config.ts),
 * required on first property access. Third-party packages keep importing zod as it is: no schema of ours is
 * ever handed to them (tool JSON Schemas come from `z.toJSONSchema` of this same copy).
 */
const SHIM = `import { createRequire } from "node:module";
const requireHere = createRequire(import.meta.url);
let loaded;
const zod = () => (loaded ??= requireHere("./zod.cjs"));
export const z = new Proxy({}, {
  get: (_target, key) => zod().z[key],
  has: (_target, key) => key in zod().z,
});
export const ZodError = new Proxy(function ZodError() {}, {
  get: (_target, key) => zod().ZodError[key],
  construct: (_target, args) => Reflect.construct(zod().ZodError, args),
});
`;

const fromWorkspace = (importer: string) =>
  !/[\\/]node_modules[\\/]/.test(importer) && /[\\/](packages|apps)[\\/]/.test(importer);

export const zodOnDemand: Plugin = {
  name: "zod-on-demand",
  setup(build) {
    build.onResolve({ filter: /^zod$/ }, (args) =>
      fromWorkspace(args.importer) ? { path: "zod-on-demand", namespace: "ct-zod-on-demand" } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "ct-zod-on-demand" }, () => ({ contents: SHIM, loader: "js" }));
  },
};
