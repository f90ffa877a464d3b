import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeSandbox, runCli } from "./helpers.js";

const CORE = path.resolve(import.meta.dirname, "../../../packages/core");

// A third-party provider package as a user would install it in their project.
const PROVIDER = `
export function createProvider({ id }) {
  return {
    id,
    async listModels() { return [{ id: "my-model", provider: id }]; },
    async *stream(request) {
      yield { type: "text-delta", text: "hello from " + id + "/" + request.model };
      yield { type: "finish", reason: "stop" };
    },
  };
}
`;

// One that throws @codetether/core's ProviderError from its own copy of core (the CLI bundles another copy):
// the first call is rate limited, which the agent must still recognise and retry.
const RATE_LIMITED_ONCE = `
import { ProviderError } from "@codetether/core";
let calls = 0;
export function createProvider({ id }) {
  return {
    id,
    async listModels() { return [{ id: "my-model", provider: id }]; },
    async *stream() {
      if (calls++ === 0) throw new ProviderError("slow down", { provider: id, kind: "rate_limit", status: 429, retryAfterMs: 1 });
      yield { type: "text-delta", text: "answered after " + calls + " calls" };
      yield { type: "finish", reason: "stop" };
    },
  };
}
`;

async function projectWithProvider(source = PROVIDER) {
  const box = await makeSandbox();
  const pkgDir = path.join(box.work, "node_modules", "my-provider-package");
  await fs.mkdir(pkgDir, { recursive: true });
  await fs.writeFile(
    path.join(pkgDir, "package.json"),
    JSON.stringify({ name: "my-provider-package", version: "1.0.0", type: "module", exports: "./index.js" }),
  );
  await fs.writeFile(path.join(pkgDir, "index.js"), source);
  return box;
}

describe("third-party providers: [providers.<id>] module", () => {
  it("selects a provider from a package installed in the project with --model myprov/my-model", async () => {
    const { work, env } = await projectWithProvider();
    const set = await runCli(["config", "--set", "providers.myprov.module=my-provider-package"], {
      cwd: work,
      env,
    });
    expect(set.code).toBe(0);
    const res = await runCli(["run", "--json", "--model", "myprov/my-model", "hi"], { cwd: work, env });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    const done = JSON.parse(res.stdout.trim().split("\n").at(-1) as string);
    expect(done).toMatchObject({ type: "done", text: "hello from myprov/my-model" });
  });

  it("retries a ProviderError thrown from the provider's own copy of @codetether/core", async () => {
    const { work, env } = await projectWithProvider(RATE_LIMITED_ONCE);
    // The provider's dependency, as npm would install it next to the provider: the workspace's built core.
    await fs.mkdir(path.join(work, "node_modules", "@codetether"));
    await fs.symlink(CORE, path.join(work, "node_modules", "@codetether", "core"), "dir");
    await runCli(["config", "--set", "providers.myprov.module=my-provider-package"], { cwd: work, env });
    const res = await runCli(["run", "--json", "--model", "myprov/my-model", "hi"], { cwd: work, env });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    const events = res.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string; text?: string });
    expect(events.filter((e) => e.type === "retry")).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ type: "done", text: "answered after 2 calls" });
  });

  it("refuses a module named by the project's codetether.toml (code from a cloned repo), without crashing", async () => {
    const { work, env } = await projectWithProvider();
    await fs.writeFile(
      path.join(work, "codetether.toml"),
      '[providers.myprov]\nmodule = "my-provider-package"\n',
    );
    // Untrusted folder: the key is ignored with the trust warning, so the provider does not exist (exit 2).
    const res = await runCli(["run", "--model", "myprov/my-model", "hi"], { cwd: work, env });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("providers.myprov.module");
    expect(res.stderr).toContain("codetether trust");
    expect(res.stderr).not.toContain("unexpected error");
    // Even in a trusted folder a provider module (code) must come from the user config.
    expect((await runCli(["trust", work], { cwd: work, env })).code).toBe(0);
    const trusted = await runCli(["run", "--model", "myprov/my-model", "hi"], { cwd: work, env });
    expect(trusted.code).toBe(2);
    expect(trusted.stderr).toContain("providers.myprov.module");
    expect(trusted.stderr).toContain("user config");
  });

  it("names the key and the fix when the package is not installed", async () => {
    const { work, env } = await makeSandbox();
    await runCli(["config", "--set", "providers.myprov.module=not-installed-pkg"], { cwd: work, env });
    const res = await runCli(["run", "--model", "myprov/my-model", "hi"], { cwd: work, env });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/providers\.myprov\.module: cannot find "not-installed-pkg".*npm install/);
  });
});
