import fs from "node:fs/promises";
import path from "node:path";
import type { z } from "zod";
import { type SignedManifest, signManifest } from "./sign-manifest.js";
import type { ToolPermissionSchema } from "./tool-manifest.js";

export interface BuiltinManifestOptions {
  /** The built `dist` directory of `@codetether/tools` (must contain `index.js`). */
  distDir: string;
  /** PKCS#8 PEM Ed25519 key (e.g. read from the file `codetether tools keygen` wrote). */
  privateKey: string;
  /** Package version (default: read from `<distDir>/../package.json`). */
  version?: string;
  id?: string;
}

const ALL_PERMISSIONS: z.infer<typeof ToolPermissionSchema>[] = [
  "read",
  "write",
  "exec",
  "network",
  "agent",
  "other",
];

/**
 * Build step for the built-in tools: signs `@codetether/tools`' dist directory so `verifyToolDir(distDir, keys)`
 * can check at start-up that the shipped tool code is what was built. Run it after `tsup` (it writes
 * `manifest.json` and `manifest.sig` into `distDir`).
 */
export async function signBuiltinToolsManifest(options: BuiltinManifestOptions): Promise<SignedManifest> {
  const distDir = path.resolve(options.distDir);
  await fs.access(path.join(distDir, "index.js")).catch(() => {
    throw new Error(`${distDir}/index.js not found: build @codetether/tools first`);
  });
  let version = options.version;
  if (!version) {
    const pkg = JSON.parse(await fs.readFile(path.join(distDir, "..", "package.json"), "utf8")) as {
      version?: string;
    };
    version = pkg.version ?? "0.0.0";
  }
  return signManifest(distDir, options.privateKey, {
    id: options.id ?? "@codetether/tools",
    version,
    description: "codetether built-in tools",
    entry: "index.js",
    permissions: ALL_PERMISSIONS,
    sandbox: {},
  });
}
