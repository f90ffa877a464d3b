import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const workspace = path.resolve(import.meta.dirname, "../../..");

/** The source file of a workspace package's export (`@codetether/a2a/lite` → packages/a2a/src/lite.ts). */
function workspaceSource(specifier: string): string | undefined {
  const [scope, name, ...sub] = specifier.split("/");
  if (scope !== "@codetether" || !name) return undefined;
  for (const dir of ["packages", "apps"]) {
    const manifest = path.join(workspace, dir, name, "package.json");
    if (!fs.existsSync(manifest)) continue;
    const exports = JSON.parse(fs.readFileSync(manifest, "utf8")).exports as Record<
      string,
      { source?: string }
    >;
    const source = exports[sub.length ? `./${sub.join("/")}` : "."]?.source;
    return source ? path.join(workspace, dir, name, source) : undefined;
  }
  return undefined;
}

/**
 * Every package loaded at start-up from `entry`: static, non-type imports, followed through relative files
 * and workspace packages; not what loads later with `await import(...)`.
 */
function staticPackages(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = fs.readFileSync(file, "utf8");
    for (const m of source.matchAll(/^(?:import|export)\s+(type\s+)?(?:[^;]*?\s+from\s+)?"([^"]+)"/gms)) {
      const [, typeOnly, specifier] = m;
      if (typeOnly || !specifier) continue;
      if (specifier.startsWith(".")) {
        visit(path.resolve(path.dirname(file), specifier.replace(/\.js$/, ".ts")));
        continue;
      }
      packages.add(specifier);
      const workspaceFile = workspaceSource(specifier);
      if (workspaceFile) visit(workspaceFile);
    }
  };
  visit(entry);
  return packages;
}

describe("what an idle server loads", () => {
  it("@codetether/server's entry loads neither express, the A2A SDK, the tools nor the k8s client", () => {
    const loaded = [...staticPackages(path.join(import.meta.dirname, "../src/index.ts"))];
    // These load with the request stack (request-stack.ts) on the first request that needs them.
    const heavy = ["express", "@a2a-js/sdk", "@codetether/a2a", "@codetether/tools", "@codetether/k8s"];
    const isHeavy = (p: string) =>
      heavy.some((h) => p === h || (p.startsWith(`${h}/`) && !p.endsWith("/lite")));
    expect(loaded.filter(isHeavy)).toEqual([]);
    expect(loaded).toEqual(expect.arrayContaining(["@codetether/a2a/lite", "@codetether/security"]));
  });
});
