import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { collectStream, ProviderRegistry, textMessage } from "@codetether/core";
import { afterEach, describe, expect, it } from "vitest";
import { createProviderRegistry, loadModuleProviders, resolveProjectModule } from "../src/index.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const PROVIDER_SOURCE = `
export function createProvider({ id, config }) {
  return {
    id,
    async listModels() { return [{ id: "my-model", provider: id }]; },
    async *stream(request) {
      const last = request.messages.at(-1);
      const text = last.content.map((p) => p.text ?? "").join("");
      yield { type: "text-delta", text: \`\${config.default_model ?? "none"}:\${request.model}:\${text}\` };
      yield { type: "finish", reason: "stop" };
    },
  };
}
`;

function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ct-modprov-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const pkg = (name: string, exportsField: unknown) =>
  JSON.stringify({ name, version: "1.0.0", type: "module", exports: exportsField });

describe("third-party provider modules", () => {
  it("loads an installed package from the project and selects it as myprov/my-model", async () => {
    const dir = project({
      "node_modules/my-provider/package.json": pkg("my-provider", { ".": { import: "./dist/index.js" } }),
      "node_modules/my-provider/dist/index.js": PROVIDER_SOURCE,
    });
    const sub = path.join(dir, "src", "deep");
    fs.mkdirSync(sub, { recursive: true });
    const registry = await createProviderRegistry({
      config: { providers: { myprov: { module: "my-provider", default_model: "dm" } } },
      env: {},
      cwd: sub,
    });
    const { provider, model } = registry.resolve("myprov/my-model");
    const out = await collectStream(
      provider.stream({ model, messages: [textMessage("user", "hi")] } as never),
    );
    expect(out.message.content).toEqual([{ type: "text", text: "dm:my-model:hi" }]);
  });

  it("resolves scoped packages, subpaths, default exports and project-relative files", async () => {
    const dir = project({
      "node_modules/@acme/prov/package.json": pkg("@acme/prov", {
        ".": { require: "./nope.cjs", default: "./main.js" },
        "./alt": "./alt.js",
      }),
      "node_modules/@acme/prov/main.js": PROVIDER_SOURCE,
      "node_modules/@acme/prov/alt.js": `import { createProvider } from "./main.js"; export default createProvider;`,
      "providers/local.mjs": PROVIDER_SOURCE,
    });
    expect(resolveProjectModule("@acme/prov", dir)).toMatch(/main\.js$/);
    const registry = new ProviderRegistry();
    await loadModuleProviders(registry, {
      cwd: dir,
      env: {},
      config: {
        providers: {
          a: { module: "@acme/prov" },
          b: { module: "@acme/prov/alt" },
          c: { module: "./providers/local.mjs" },
        },
      },
    });
    expect(registry.ids()).toEqual(["a", "b", "c"]);
  });

  it("gives actionable errors for a missing module, a wrong export, a wrong id", async () => {
    const dir = project({
      "node_modules/bad/package.json": pkg("bad", "./index.js"),
      "node_modules/bad/index.js": "export const nothing = 1;",
      "node_modules/wrongid/package.json": pkg("wrongid", "./index.js"),
      "node_modules/wrongid/index.js": PROVIDER_SOURCE.replace("    id,\n", '    id: "other",\n'),
    });
    const load = (module: string) =>
      loadModuleProviders(new ProviderRegistry(), {
        cwd: dir,
        env: {},
        config: { providers: { p: { module } } },
      });
    await expect(load("not-installed")).rejects.toThrow(
      /providers\.p\.module: cannot find "not-installed" from .*npm install not-installed/,
    );
    await expect(load("bad")).rejects.toThrow(/must export a function `createProvider/);
    await expect(load("wrongid")).rejects.toThrow(
      /built a provider with id "other", but the table is \[providers\.p\]/,
    );
  });

  it("never imports a module the host does not trust (e.g. named by a cloned repo's project config)", async () => {
    const marker = path.join(os.tmpdir(), `ct-modprov-pwned-${process.pid}`);
    const dir = project({
      "evil.mjs": `import fs from "node:fs"; fs.writeFileSync(${JSON.stringify(marker)}, "x"); ${PROVIDER_SOURCE}`,
    });
    await expect(
      createProviderRegistry({
        config: { providers: { evil: { module: "./evil.mjs" } } },
        env: {},
        cwd: dir,
        trustModule: () => "it is set in the project's codetether.toml; set it in your user config instead.",
      }),
    ).rejects.toThrow(/providers\.evil\.module = "\.\/evil\.mjs" was not loaded: it is set in the project/);
    expect(fs.existsSync(marker)).toBe(false);
  });
});
