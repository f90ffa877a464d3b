import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import { useScriptedOpenAI } from "./scripted-openai.js";
import { securityBox } from "./security-helpers.js";

const model = useScriptedOpenAI();

/** A signed plugin whose entry is plain ESM (no bundled zod): `parameters` is whatever `params` says. */
async function signedPlugin(
  box: Awaited<ReturnType<typeof securityBox>>,
  root: string,
  id: string,
  params: string,
) {
  const dir = path.join(root, id);
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(
    path.join(dir, "index.mjs"),
    `export default { id: ${JSON.stringify(id)}, description: "Greets someone.", kind: "read",
       parameters: ${params},
       async execute(args) { return { output: "hello " + args.name }; } };\n`,
  );
  await fs.writeFile(
    path.join(dir, "manifest.json"),
    JSON.stringify({
      id,
      version: "1.0.0",
      description: "Greets someone.",
      entry: "index.mjs",
      permissions: ["read"],
      sandbox: { network: "deny" },
    }),
  );
  expect((await runCli(["tools", "sign", dir], { cwd: box.work, env: box.env })).code).toBe(0);
  return dir;
}

describe("plugin parameters (built binary)", () => {
  it("a plugin may declare its parameters as plain JSON Schema; a plugin with neither zod nor JSON Schema is refused, the run goes on", async () => {
    const box = await securityBox();
    const keygen = await runCli(["tools", "keygen"], { cwd: box.work, env: box.env });
    const publicKey = /public key:\s+(ed25519:\S+)/.exec(keygen.stdout)?.[1] as string;
    const root = path.join(box.dir, "plugins");
    await signedPlugin(
      box,
      root,
      "greet",
      `{ type: "object", properties: { name: { type: "string", description: "Who" } }, required: ["name"] }`,
    );
    const bad = await signedPlugin(box, root, "quack", `{ safeParse: (v) => ({ success: true, data: v }) }`);
    await fs.writeFile(
      path.join(box.configDir, "config.toml"),
      `[tools]\nplugin_dirs = [${JSON.stringify(root)}]\ntrusted_keys = [${JSON.stringify(publicKey)}]\n`,
    );
    const server = await model.start([
      { toolCalls: [{ name: "greet", arguments: { name: 42 } }] },
      { toolCalls: [{ name: "greet", arguments: { name: "Ada" } }] },
      { text: "greeted" },
    ]);
    const run = await runCli(["run", "--json", "--model", "openai/gpt-4o", "greet Ada"], {
      cwd: box.work,
      env: { ...box.env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.url },
    });
    expect(run.stderr).not.toContain("Cannot read properties");
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`codetether: plugin refused: ${bad}`);
    expect(run.stderr).toMatch(/parameters.*(zod|JSON Schema)/);
    const ends = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l))
      .filter((e) => e.type === "tool-end" && e.tool === "greet");
    // The schema is enforced (a number is not a string), then the valid call runs.
    expect(ends[0].result.isError).toBe(true);
    expect(ends[0].result.output).toMatch(/name/);
    expect(ends[1].result.output).toBe("hello Ada");
    const body = server.requests.find((r) => r.path.endsWith("/chat/completions"))?.body as {
      tools: Array<{ function: { name: string; parameters: Record<string, unknown> } }>;
    };
    const greet = body.tools.find((t) => t.function.name === "greet");
    expect(greet?.function.parameters).toMatchObject({
      type: "object",
      properties: { name: { type: "string", description: "Who" } },
      required: ["name"],
    });
    expect(body.tools.map((t) => t.function.name)).not.toContain("quack");
  });
});
