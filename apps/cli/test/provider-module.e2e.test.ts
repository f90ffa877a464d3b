import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeSandbox, runCli } from "./helpers.js";

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

async function projectWithProvider() {
  const box = await makeSandbox();
  const pkgDir = path.join(box.work, "node_modules", "my-provider-package");
  await fs.mkdir(pkgDir, { recursive: true });
  await fs.writeFile(
    path.join(pkgDir, "package.json"),
    JSON.stringify({ name: "my-provider-package", version: "1.0.0", type: "module", exports: "./index.js" }),
  );
  await fs.writeFile(path.join(pkgDir, "index.js"), PROVIDER);
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

  it("refuses a module named by the project's codetether.toml (code from a cloned repo), without crashing", async () => {
    const { work, env } = await projectWithProvider();
    await fs.writeFile(
      path.join(work, "codetether.toml"),
      '[providers.myprov]\nmodule = "my-provider-package"\n',
    );
    const res = await runCli(["run", "--model", "myprov/my-model", "hi"], { cwd: work, env });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("providers.myprov.module");
    expect(res.stderr).toContain("user config");
    expect(res.stderr).not.toContain("unexpected error");
  });

  it("names the key and the fix when the package is not installed", async () => {
    const { work, env } = await makeSandbox();
    await runCli(["config", "--set", "providers.myprov.module=not-installed-pkg"], { cwd: work, env });
    const res = await runCli(["run", "--model", "myprov/my-model", "hi"], { cwd: work, env });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/providers\.myprov\.module: cannot find "not-installed-pkg".*npm install/);
  });
});
