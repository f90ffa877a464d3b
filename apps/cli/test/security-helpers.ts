import { execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { makeSandbox } from "./helpers.js";

/** A temp HOME/XDG box plus the paths the security features use. */
export async function securityBox() {
  const box = await makeSandbox();
  return {
    ...box,
    configDir: path.join(box.dir, "config", "codetether"),
    auditDir: path.join(box.dir, "data", "codetether", "audit"),
    sessionsDir: path.join(box.dir, "data", "codetether", "sessions"),
  };
}

/** A {@link securityBox} whose user config turns the sandbox on. */
export async function sandboxedUser() {
  const box = await securityBox();
  await fs.mkdir(box.configDir, { recursive: true });
  await fs.writeFile(path.join(box.configDir, "config.toml"), "[sandbox]\nenabled = true\n");
  return box;
}

/** Every file under `dir`, concatenated (to grep for leaked secrets). */
export async function readTree(dir: string): Promise<string> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const texts = await Promise.all(
    entries
      .filter((e) => e.isFile())
      .map((e) => fs.readFile(path.join(e.parentPath, e.name), "utf8").catch(() => "")),
  );
  return texts.join("\n");
}

/** Audit records of a box, oldest first. */
export async function auditRecords(auditDir: string): Promise<Array<Record<string, unknown>>> {
  const names = (await fs.readdir(auditDir)).filter((n) => n.endsWith(".jsonl")).sort();
  // Rotated files (audit-000001.jsonl...) come before the current audit.jsonl.
  names.sort((a, b) => (a === "audit.jsonl" ? 1 : b === "audit.jsonl" ? -1 : a.localeCompare(b)));
  const lines = (await Promise.all(names.map((n) => fs.readFile(path.join(auditDir, n), "utf8"))))
    .join("")
    .split("\n")
    .filter(Boolean);
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** esbuild's flags for one self-contained ESM plugin file for Node 20, as a plugin author would bundle it. */
const pluginBundleArgs = (outfile: string) => [
  "--bundle",
  "--platform=node",
  "--format=esm",
  "--target=node20",
  "--log-level=warning",
  `--outfile=${outfile}`,
];
const esbuild = path.resolve(import.meta.dirname, "../node_modules/.bin/esbuild");

/** Bundles the security package's zod-based `echo` plugin fixture into one ESM file (esbuild, as a plugin author would). */
export function bundleEchoPlugin(outfile: string): string {
  const root = path.resolve(import.meta.dirname, "../../..");
  execFileSync(
    esbuild,
    [path.join(root, "packages/security/test/fixtures/plugin-echo.ts"), ...pluginBundleArgs(outfile)],
    { stdio: "pipe" },
  );
  return outfile;
}

/** Bundles plugin source (ESM, may import zod) into one self-contained file, as a plugin author would with esbuild. */
export function bundlePluginSource(source: string, outfile: string): string {
  execFileSync(esbuild, pluginBundleArgs(outfile), {
    // stdin resolves imports from cwd: the workspace's zod.
    stdio: ["pipe", "pipe", "pipe"],
    input: source,
    cwd: import.meta.dirname,
  });
  return outfile;
}
