#!/usr/bin/env node
// Build step: signs the built-in tools (`packages/tools/dist`) with an Ed25519 key, writing manifest.json and
// manifest.sig into the dist directory, so `codetether tools verify <dist>` (and any host that checks with
// `verifyToolDir`) can tell that the shipped tool code is exactly what was built.
//
//   pnpm --filter @codetether/tools build && pnpm --filter @codetether/security build
//   node scripts/sign-builtin-tools.mjs --key <private-key.pem> [--dist packages/tools/dist]
//
// The key is a PKCS#8 PEM from `codetether tools keygen` (or CODETETHER_TOOLS_SIGNING_KEY_FILE); in CI it comes
// from a secret and is never printed. Run it after every tools build: tsup cleans dist and drops the manifest.
import fs from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";

const root = path.resolve(import.meta.dirname, "..");
let args;
try {
  args = parseArgs({
    options: { key: { type: "string" }, dist: { type: "string" }, help: { type: "boolean", short: "h" } },
  }).values;
} catch (err) {
  process.stderr.write(`sign-builtin-tools: ${err.message}\n`);
  process.exit(2);
}
if (args.help) {
  process.stdout.write("usage: node scripts/sign-builtin-tools.mjs --key <private-key.pem> [--dist DIR]\n");
  process.exit(0);
}
const keyFile = args.key ?? process.env.CODETETHER_TOOLS_SIGNING_KEY_FILE;
if (!keyFile) {
  process.stderr.write(
    "sign-builtin-tools: no signing key. Pass --key <file> or set CODETETHER_TOOLS_SIGNING_KEY_FILE " +
      "(create one with: codetether tools keygen --out <file>).\n",
  );
  process.exit(2);
}
const distDir = path.resolve(args.dist ?? path.join(root, "packages/tools/dist"));

let security;
try {
  security = await import(path.join(root, "packages/security/dist/index.js"));
} catch {
  process.stderr.write(
    "sign-builtin-tools: build @codetether/security first (pnpm --filter @codetether/security build).\n",
  );
  process.exit(1);
}
try {
  const privateKey = await fs.readFile(keyFile, "utf8").catch(() => {
    throw new Error(`cannot read the signing key ${keyFile}`);
  });
  const { manifest, signature } = await security.signBuiltinToolsManifest({ distDir, privateKey });
  const check = await security.verifyToolDir(distDir, [signature.public_key]);
  if (!check.ok) throw new Error(`the signed directory does not verify: ${check.reason}`);
  process.stdout.write(
    `signed ${manifest.id}@${manifest.version} in ${distDir}: ${Object.keys(manifest.files).length} files, ` +
      `key ${security.keyFingerprint(signature.public_key)}\npublic key: ${signature.public_key}\n`,
  );
} catch (err) {
  process.stderr.write(`sign-builtin-tools: ${err.message}\n`);
  process.exit(1);
}
